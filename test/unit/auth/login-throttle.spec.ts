/** Login lockout per IP and per username (api-contract.md §2). */
import { AuthConfig } from '../../../src/config/config.schema';
import { LoginThrottle } from '../../../src/modules/auth/login-throttle';
import { derivedAction } from '../../../src/modules/auth/audit-context';

function throttle(): LoginThrottle {
  const config = new AuthConfig();
  config.login.max_attempts = 3;
  config.login.lockout = 60_000;
  return new LoginThrottle(config);
}

describe('LoginThrottle', () => {
  it('locks a username after max_attempts failures within the window, from any IP', () => {
    const t = throttle();
    expect(t.fail('1.1.1.1', 'alice', 0)).toBeUndefined();
    expect(t.fail('2.2.2.2', 'Alice', 1)).toBeUndefined();
    expect(t.fail('3.3.3.3', 'alice', 2)).toBe(60_002);
    expect(t.lockedUntil('9.9.9.9', 'ALICE', 10)).toBe(60_002);
    expect(t.lockedUntil('9.9.9.9', 'bob', 10)).toBeUndefined();
    expect(t.lockedUntil('9.9.9.9', 'alice', 60_003)).toBeUndefined();
  });

  it('locks a client IP whatever the usernames', () => {
    const t = throttle();
    t.fail('1.1.1.1', 'a', 0);
    t.fail('1.1.1.1', 'b', 0);
    t.fail('1.1.1.1', 'c', 0);
    expect(t.lockedUntil('1.1.1.1', 'd', 1)).toBe(60_000);
  });

  it('forgets failures older than the window, and all of them on success', () => {
    const t = throttle();
    t.fail('1.1.1.1', 'alice', 0);
    t.fail('1.1.1.1', 'alice', 1);
    expect(t.fail('1.1.1.1', 'alice', 70_000)).toBeUndefined();
    t.succeed('1.1.1.1', 'alice');
    t.fail('1.1.1.1', 'alice', 70_001);
    expect(t.fail('1.1.1.1', 'alice', 70_002)).toBeUndefined();
  });
});

describe('audit action names', () => {
  it('are derived from controller and handler names', () => {
    expect(derivedAction('ReposController', 'create')).toBe('repo.create');
    expect(derivedAction('V2ReposController', 'delete')).toBe('repo.delete');
    expect(derivedAction('BranchesController', 'delete')).toBe('branch.delete');
    expect(derivedAction('TransactionsController', 'commit')).toBe('transaction.commit');
    expect(derivedAction('UsersController', 'setActive')).toBe('user.set_active');
    expect(derivedAction('StashController', 'drop')).toBe('stash.drop');
  });
});
