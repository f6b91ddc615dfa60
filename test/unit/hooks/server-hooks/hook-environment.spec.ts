/** The hook environment rules (hook-environment.ts, api-contract.md §6.6). */
import {
  HOOK_PATH,
  checkEnvironment,
  hookEnvironment,
  visibleEnvironment,
} from '../../../../src/modules/hooks/server-hooks/hook-environment';
import { InvalidEnvironmentError } from '../../../../src/modules/hooks/server-hooks/server-hook-errors';

const GOVC = {
  GOVC_REPO: 'r',
  GOVC_REPO_PATH: '',
  GOVC_BRANCH: 'main',
  GOVC_COMMIT: '',
  GOVC_HOOK_TYPE: 'pre-commit',
};

describe('checkEnvironment', () => {
  it('accepts upper-case names with string values and sorts them', () => {
    expect(checkEnvironment({ B_2: 'x', _A: '' })).toEqual({ _A: '', B_2: 'x' });
    expect(Object.keys(checkEnvironment({ B: '1', A: '2' }))).toEqual(['A', 'B']);
    expect(checkEnvironment(undefined)).toEqual({});
  });

  it.each([
    [{ lower: 'x' }],
    [{ '1A': 'x' }],
    [{ 'A-B': 'x' }],
    [{ PATH: '/bin' }],
    [{ GOVC_REPO: 'x' }],
    [{ A: 1 }],
    [{ A: 'x\0y' }],
    [['A=b']],
    ['A=b'],
    [{ A: 'x'.repeat(70_000) }],
  ])('refuses %j', (value) => {
    expect(() => checkEnvironment(value)).toThrow(InvalidEnvironmentError);
  });

  it('refuses more than 100 variables', () => {
    const many = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`V${i}`, '']));
    expect(() => checkEnvironment(many)).toThrow(InvalidEnvironmentError);
  });
});

describe('hookEnvironment', () => {
  it('builds PATH, HOME, LANG, then configured < requested < GOVC_*', () => {
    const env = hookEnvironment(
      '/tmp/h',
      { A: 'configured', B: 'configured' },
      { B: 'requested', HOME: '/elsewhere' },
      { ...GOVC, GOVC_REF: 'refs/heads/main' },
    );
    expect(env).toEqual({
      PATH: HOOK_PATH,
      HOME: '/elsewhere',
      LANG: 'C.UTF-8',
      A: 'configured',
      B: 'requested',
      ...GOVC,
      GOVC_REF: 'refs/heads/main',
    });
  });

  it('shows only GOVC_* and the requested variables', () => {
    expect(visibleEnvironment({ R: '1' }, GOVC)).toEqual({ R: '1', ...GOVC });
  });
});
