import { expandVariables } from '../../../src/config/variable-expansion';

describe('expandVariables', () => {
  const env = { HOST: 'db.internal', EMPTY: '', PORT: '5432' };

  it('substitutes ${VAR}', () => {
    expect(expandVariables('postgres://${HOST}:${PORT}/govc', env)).toBe(
      'postgres://db.internal:5432/govc',
    );
  });

  it('uses the default of ${VAR:-x} when VAR is unset or empty', () => {
    expect(expandVariables('${MISSING:-fallback}', env)).toBe('fallback');
    expect(expandVariables('${EMPTY:-fallback}', env)).toBe('fallback');
    expect(expandVariables('${HOST:-fallback}', env)).toBe('db.internal');
    expect(expandVariables('${MISSING:-}', env)).toBe('');
  });

  it('keeps a default that contains spaces and colons', () => {
    expect(expandVariables('${MISSING:-a b:c}', env)).toBe('a b:c');
  });

  it('expands an unset ${VAR} without default to nothing', () => {
    expect(expandVariables('x${MISSING}y', env)).toBe('xy');
  });

  it('reads $$ as a literal $ and leaves other $ alone', () => {
    expect(expandVariables('pa$$word', env)).toBe('pa$word');
    expect(expandVariables('$${HOST}', env)).toBe('${HOST}');
    expect(expandVariables('cost $5', env)).toBe('cost $5');
    expect(expandVariables('end$', env)).toBe('end$');
  });

  it('rejects an unterminated or malformed reference', () => {
    expect(() => expandVariables('${HOST', env)).toThrow('unterminated variable reference');
    expect(() => expandVariables('${1BAD}', env)).toThrow('bad variable reference');
    expect(() => expandVariables('${A-b}', env)).toThrow('bad variable reference');
  });
});
