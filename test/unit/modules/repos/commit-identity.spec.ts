import {
  InvalidEmailError,
  resolveCommitIdentity,
} from '../../../../src/modules/repos/commit-identity';

describe('resolveCommitIdentity', () => {
  const stored = { 'user.name': 'Stored', 'user.email': 'stored@example.com' };

  it('prefers the request, then the caller, then stored config, then Unknown', () => {
    expect(resolveCommitIdentity({ author: 'Ada', email: 'ada@example.com' }, stored)).toEqual({
      identity: { name: 'Ada', email: 'ada@example.com' },
      config: { 'user.name': 'Ada', 'user.email': 'ada@example.com' },
    });
    expect(resolveCommitIdentity({}, stored, { name: 'Caller', email: 'c@example.com' })).toEqual({
      identity: { name: 'Caller', email: 'c@example.com' },
      config: {},
    });
    expect(resolveCommitIdentity({}, stored).identity).toEqual({
      name: 'Stored',
      email: 'stored@example.com',
    });
    expect(resolveCommitIdentity({}, {}).identity).toEqual({
      name: 'Unknown',
      email: 'unknown@example.com',
    });
  });

  it('takes name and email from an author object, each independently', () => {
    expect(resolveCommitIdentity({ author: { email: 'o@example.com' } }, stored)).toEqual({
      identity: { name: 'Stored', email: 'o@example.com' },
      config: { 'user.email': 'o@example.com' },
    });
    expect(
      resolveCommitIdentity({ author: { name: 'Obj' }, email: 'e@example.com' }, {}).identity,
    ).toEqual({
      name: 'Obj',
      email: 'e@example.com',
    });
  });

  it('treats empty strings as not given', () => {
    expect(resolveCommitIdentity({ author: '', email: '' }, stored)).toEqual({
      identity: { name: 'Stored', email: 'stored@example.com' },
      config: {},
    });
  });

  it('refuses invalid or over-long emails with INVALID_EMAIL', () => {
    for (const email of ['plain', 'a@', '@b', 'a b@c.d', `${'x'.repeat(245)}@example.com`]) {
      expect(() => resolveCommitIdentity({ email }, {})).toThrow(InvalidEmailError);
    }
    expect(resolveCommitIdentity({ email: 'dev@localhost' }, {}).identity.email).toBe(
      'dev@localhost',
    );
  });
});
