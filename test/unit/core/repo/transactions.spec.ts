/**
 * TransactionManager (contract §7): private overlays over a branch head, validate/commit
 * rules, merging onto a moved branch, ownership, limits and expiry, and the guarantee that a
 * transaction never touches the repository's index or working tree.
 */
import { BranchNotFoundError } from '../../../../src/core/errors/ref-errors';
import {
  FileNotFoundError,
  InvalidFileContentError,
  InvalidFilePathError,
} from '../../../../src/core/errors/path-errors';
import { NothingToCommitError } from '../../../../src/core/errors/repo-errors';
import {
  TxConflictError,
  TxLimitReachedError,
  TxNotFoundError,
  TxNotValidatedError,
  TxTooLargeError,
  ValidationFailedError,
} from '../../../../src/core/errors/transaction-errors';
import {
  TransactionManager,
  type TransactionInfo,
  type TransactionManagerOptions,
} from '../../../../src/core/repo/transactions';
import { TEST_AUTHOR, TestRepo } from '../../../support/test-repo';

const author = TEST_AUTHOR;

/** A settable millisecond clock for expiry tests. */
function msClock(start = 1_000_000): { now: () => number; advance: (ms: number) => void } {
  let time = start;
  return { now: () => time, advance: (ms) => (time += ms) };
}

function setup(options: TransactionManagerOptions = {}): { t: TestRepo; txs: TransactionManager } {
  const t = TestRepo.create();
  t.commit({ files: { 'a.txt': 'a\n', 'dir/b.txt': 'b\n', 'dir/c.txt': 'c\n' } });
  return { t, txs: new TransactionManager(t.repo, options) };
}

function commitAll(
  txs: TransactionManager,
  id: string,
  message = 'tx',
): ReturnType<TransactionManager['commit']> {
  txs.validate(id);
  return txs.commit(id, { message, author });
}

function text(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('utf8');
}

describe('TransactionManager: begin and inspect', () => {
  it('opens on the current branch at its head, with no files and a random prefixed id', () => {
    const { t, txs } = setup({ idPrefix: 'tx_repo1_' });
    const head = t.repo.head().oid;
    const id = txs.begin();
    const other = txs.begin();
    expect(id).toMatch(/^tx_repo1_[0-9a-f-]{36}$/);
    expect(other).not.toBe(id);
    const info = txs.get(id);
    expect(info).toMatchObject({ branch: 'main', baseCommit: head, state: 'open', files: [] });
    expect(info.expiresAt).toBeGreaterThan(info.createdAt);
    expect(txs.active).toBe(2);
  });

  it('opens on a named branch, and refuses an unknown one with BRANCH_NOT_FOUND', () => {
    const { t, txs } = setup();
    const feature = t.branch('feature');
    expect(txs.get(txs.begin('feature')).baseCommit).toBe(feature);
    expect(() => txs.begin('nope')).toThrow(BranchNotFoundError);
  });

  it('refuses to guess a branch when HEAD is detached', () => {
    const { t, txs } = setup();
    t.repo.checkout(t.repo.head().oid!);
    expect(() => txs.begin()).toThrow(BranchNotFoundError);
  });

  it('lists added and removed paths sorted, with content sizes', () => {
    const { txs } = setup();
    const id = txs.begin();
    txs.add(id, 'z.txt', 'hello');
    txs.remove(id, 'a.txt');
    txs.add(id, 'dir/new.txt', new Uint8Array([1, 2, 3]));
    expect(txs.get(id).files).toEqual([
      { path: 'a.txt', action: 'remove', size: 0 },
      { path: 'dir/new.txt', action: 'add', size: 3 },
      { path: 'z.txt', action: 'add', size: 5 },
    ]);
  });

  it('reads files through its own changes, falling back to the base', () => {
    const { txs } = setup();
    const id = txs.begin();
    txs.add(id, 'a.txt', 'changed\n');
    txs.remove(id, 'dir/b.txt');
    expect(text(txs.read(id, 'a.txt').content)).toBe('changed\n');
    expect(text(txs.read(id, 'dir/c.txt').content)).toBe('c\n');
    expect(() => txs.read(id, 'dir/b.txt')).toThrow(FileNotFoundError);
  });
});

describe('TransactionManager: add and remove', () => {
  it('refuses an unsafe path and a file/directory clash, changing nothing', () => {
    const { txs } = setup();
    const id = txs.begin();
    expect(() => txs.add(id, '../x', 'x')).toThrow(InvalidFilePathError);
    expect(() => txs.add(id, 'dir', 'x')).toThrow(InvalidFileContentError);
    expect(() => txs.add(id, 'a.txt/inner', 'x')).toThrow(InvalidFileContentError);
    expect(txs.get(id).files).toEqual([]);
  });

  it('lets a file replace a directory once the directory is removed', () => {
    const { t, txs } = setup();
    const id = txs.begin();
    expect(txs.remove(id, 'dir')).toEqual(['dir/b.txt', 'dir/c.txt']);
    txs.add(id, 'dir', 'now a file\n');
    const { oid } = commitAll(txs, id);
    expect(t.files(oid)).toEqual({ 'a.txt': 'a\n', dir: 'now a file\n' });
  });

  it('answers FILE_NOT_FOUND for a path neither in the base nor added', () => {
    const { txs } = setup();
    const id = txs.begin();
    expect(() => txs.remove(id, 'missing.txt')).toThrow(FileNotFoundError);
    txs.remove(id, 'a.txt');
    expect(() => txs.remove(id, 'a.txt')).toThrow(FileNotFoundError);
  });

  it('forgets an added new file when it is removed again', () => {
    const { txs } = setup();
    const id = txs.begin();
    txs.add(id, 'new.txt', 'x');
    txs.remove(id, 'new.txt');
    expect(txs.get(id).files).toEqual([]);
  });

  it('keeps an executable mode when a file is rewritten without a mode', () => {
    const { t, txs } = setup();
    t.commit({ files: { 'run.sh': { content: 'echo 1\n', mode: '100755' } } });
    const id = txs.begin();
    txs.add(id, 'run.sh', 'echo 2\n');
    expect(txs.read(id, 'run.sh').mode).toBe('100755');
    expect(() => txs.add(id, 'x', 'y', { mode: '160000' })).toThrow(InvalidFileContentError);
  });
});

describe('TransactionManager: validate', () => {
  it('rejects empty content, naming every empty file', () => {
    const { txs } = setup();
    const id = txs.begin();
    txs.add(id, 'b-empty', '');
    txs.add(id, 'a-empty', '');
    txs.add(id, 'full', 'x');
    let error: unknown;
    try {
      txs.validate(id);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ValidationFailedError);
    const failed = error as ValidationFailedError;
    expect(failed.code).toBe('VALIDATION_FAILED');
    expect(failed.message).toBe('validation failed: empty file: a-empty');
    expect(failed.details).toEqual({
      errors: [
        { path: 'a-empty', reason: 'empty content' },
        { path: 'b-empty', reason: 'empty content' },
      ],
    });
    expect(txs.get(id).state).toBe('open');
  });

  it('rejects a transaction without changes, also when it only rewrites files unchanged', () => {
    const { txs } = setup();
    const empty = txs.begin();
    expect(() => txs.validate(empty)).toThrow('validation failed: no changes');
    const same = txs.begin();
    txs.add(same, 'a.txt', 'a\n');
    expect(() => txs.validate(same)).toThrow(ValidationFailedError);
  });

  it('marks a good transaction validated, and any later change opens it again', () => {
    const { txs } = setup();
    const id = txs.begin();
    txs.add(id, 'x', '1');
    txs.validate(id);
    expect(txs.get(id).state).toBe('validated');
    txs.add(id, 'y', '2');
    expect(txs.get(id).state).toBe('open');
    expect(() => txs.commit(id, { message: 'm', author })).toThrow(TxNotValidatedError);
    txs.validate(id);
    txs.remove(id, 'y');
    expect(() => txs.commit(id, { message: 'm', author })).toThrow(TxNotValidatedError);
  });
});

describe('TransactionManager: commit', () => {
  it('commits on the branch head with only its changes, then forgets the id', () => {
    const { t, txs } = setup();
    const head = t.repo.head().oid!;
    const id = txs.begin();
    txs.add(id, 'dir/b.txt', 'B\n');
    txs.remove(id, 'a.txt');
    const result = commitAll(txs, id, 'from a transaction');
    expect(result.commit.parents).toEqual([head]);
    expect(result.branch).toBe('main');
    expect(t.repo.head().oid).toBe(result.oid);
    expect(t.files(result.oid)).toEqual({ 'dir/b.txt': 'B\n', 'dir/c.txt': 'c\n' });
    expect(t.repo.refs.reflog('refs/heads/main').at(-1)?.message).toBe(
      'commit: from a transaction',
    );
    expect(() => txs.get(id)).toThrow(TxNotFoundError);
    expect(txs.active).toBe(0);
  });

  it('never touches the index or working tree, which still follow HEAD with local changes kept', () => {
    const { t, txs } = setup();
    t.repo.add('staged.txt', 'staged\n');
    t.repo.write('a.txt', 'local edit\n');
    const id = txs.begin();
    txs.add(id, 'dir/c.txt', 'from tx\n');
    // The transaction's own edits are invisible to the working state until commit.
    expect(t.repo.status().changes).toEqual(['a.txt', 'staged.txt']);
    commitAll(txs, id);
    const status = t.repo.status();
    expect(status.staged).toEqual(['staged.txt']);
    expect(status.modified).toEqual(['a.txt']);
    expect(text(t.repo.readWorking('dir/c.txt').content)).toBe('from tx\n');
    expect(text(t.repo.readWorking('a.txt').content)).toBe('local edit\n');
  });

  it('leaves HEAD and the working state alone when committing to another branch', () => {
    const { t, txs } = setup();
    t.branch('feature');
    const main = t.repo.head().oid;
    const id = txs.begin('feature');
    txs.add(id, 'f.txt', 'f\n');
    const { oid } = commitAll(txs, id);
    expect(t.repo.getBranch('feature').commit).toBe(oid);
    expect(t.repo.head().oid).toBe(main);
    expect(t.repo.status().clean).toBe(true);
    expect(() => t.repo.readWorking('f.txt')).toThrow(FileNotFoundError);
  });

  it('makes a root commit on an unborn branch', () => {
    const t = TestRepo.create();
    const txs = new TransactionManager(t.repo);
    const id = txs.begin();
    expect(txs.get(id).baseCommit).toBeNull();
    txs.add(id, 'first.txt', '1\n');
    const { commit, oid } = commitAll(txs, id);
    expect(commit.parents).toEqual([]);
    expect(t.repo.head().oid).toBe(oid);
    expect(text(t.repo.readWorking('first.txt').content)).toBe('1\n');
  });

  it('merges its changes onto a branch that moved since begin, with the new head as parent', () => {
    const { t, txs } = setup();
    const id = txs.begin();
    txs.add(id, 'dir/b.txt', 'tx\n');
    const moved = t.commit({ files: { 'a.txt': 'moved\n' } });
    const { commit, oid } = commitAll(txs, id);
    expect(commit.parents).toEqual([moved]);
    expect(t.files(oid)).toEqual({ 'a.txt': 'moved\n', 'dir/b.txt': 'tx\n', 'dir/c.txt': 'c\n' });
  });

  it('reports TX_CONFLICT with the paths when the moved branch changed the same lines, keeping the transaction', () => {
    const { t, txs } = setup();
    const id = txs.begin();
    txs.add(id, 'a.txt', 'tx\n');
    txs.remove(id, 'dir/b.txt');
    const moved = t.commit({ files: { 'a.txt': 'branch\n', 'dir/b.txt': 'branch b\n' } });
    txs.validate(id);
    let error: unknown;
    try {
      txs.commit(id, { message: 'm', author });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(TxConflictError);
    expect((error as TxConflictError).details).toEqual({ paths: ['a.txt', 'dir/b.txt'] });
    expect(t.repo.head().oid).toBe(moved);
    expect(txs.get(id).files.map((f) => f.path)).toEqual(['a.txt', 'dir/b.txt']);
    txs.rollback(id);
    expect(() => txs.get(id)).toThrow(TxNotFoundError);
  });

  it('refuses to commit when the moved branch already holds every change', () => {
    const { t, txs } = setup();
    const id = txs.begin();
    txs.add(id, 'a.txt', 'same\n');
    t.commit({ files: { 'a.txt': 'same\n' } });
    txs.validate(id);
    expect(() => txs.commit(id, { message: 'm', author })).toThrow(NothingToCommitError);
    expect(txs.get(id).state).toBe('validated');
  });

  it('answers BRANCH_NOT_FOUND when its branch was deleted', () => {
    const { t, txs } = setup();
    t.branch('gone');
    const id = txs.begin('gone');
    txs.add(id, 'x', 'x');
    t.repo.deleteBranch('gone');
    txs.validate(id);
    expect(() => txs.commit(id, { message: 'm', author })).toThrow(BranchNotFoundError);
  });

  it('keeps every commit when two transactions commit one after the other on one base', () => {
    const { t, txs } = setup();
    const first = txs.begin();
    const second = txs.begin();
    txs.add(first, 'one.txt', '1\n');
    txs.add(second, 'two.txt', '2\n');
    const a = commitAll(txs, first);
    const b = commitAll(txs, second);
    expect(b.commit.parents).toEqual([a.oid]);
    expect(t.files(b.oid)).toMatchObject({ 'one.txt': '1\n', 'two.txt': '2\n' });
  });
});

describe('TransactionManager: ownership', () => {
  it('hides a transaction from other principals but not from an admin', () => {
    const { txs } = setup();
    const id = txs.begin(undefined, 'alice');
    expect(() => txs.get(id)).toThrow(TxNotFoundError);
    expect(() => txs.get(id, { owner: 'bob' })).toThrow(TxNotFoundError);
    expect(() => txs.add(id, 'x', 'x', {}, { owner: 'bob' })).toThrow(TxNotFoundError);
    expect(() => txs.rollback(id, { owner: 'bob' })).toThrow(TxNotFoundError);
    expect(txs.get(id, { owner: 'alice' }).owner).toBe('alice');
    expect(txs.get(id, { owner: 'bob', admin: true }).id).toBe(id);
  });

  it('lets anyone use a transaction begun without an owner', () => {
    const { txs } = setup();
    const id = txs.begin();
    expect(txs.get(id, { owner: 'bob' }).id).toBe(id);
  });

  it('answers TX_NOT_FOUND for an unknown id', () => {
    const { txs } = setup();
    expect(() => txs.validate('tx_nope')).toThrow(TxNotFoundError);
  });
});

describe('TransactionManager: limits', () => {
  it('refuses a transaction past maxOpen with TX_LIMIT_REACHED (unavailable)', () => {
    const { txs } = setup({ maxOpen: 2 });
    txs.begin();
    const second = txs.begin();
    let error: unknown;
    try {
      txs.begin();
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(TxLimitReachedError);
    expect((error as TxLimitReachedError).kind).toBe('unavailable');
    txs.rollback(second);
    expect(() => txs.begin()).not.toThrow();
  });

  it('refuses content past maxSize with TX_TOO_LARGE, counting a rewrite only once', () => {
    const { txs } = setup({ maxSize: 10 });
    const id = txs.begin();
    txs.add(id, 'x', '12345678');
    txs.add(id, 'x', '1234567890'); // replaces the 8 bytes
    expect(() => txs.add(id, 'y', '1')).toThrow(TxTooLargeError);
    expect(txs.get(id).files).toEqual([{ path: 'x', action: 'add', size: 10 }]);
    txs.remove(id, 'x');
    expect(() => txs.add(id, 'y', '1234567890')).not.toThrow();
  });

  it('refuses paths past maxFiles, also for a directory removal', () => {
    const { txs } = setup({ maxFiles: 2 });
    const id = txs.begin();
    txs.add(id, 'x', '1');
    txs.add(id, 'x', '2'); // same path, still one file
    txs.add(id, 'y', '1');
    expect(() => txs.add(id, 'z', '1')).toThrow(TxTooLargeError);
    const other = txs.begin();
    txs.add(other, 'x', '1');
    expect(() => txs.remove(other, 'dir')).toThrow(TxTooLargeError);
    expect(txs.get(other).files.map((f) => f.path)).toEqual(['x']);
  });
});

describe('TransactionManager: expiry', () => {
  it('discards a transaction idle past the timeout on access and reports it once', () => {
    const clock = msClock();
    const expired: TransactionInfo[] = [];
    const { txs } = setup({
      clock: clock.now,
      idleTimeoutMs: 1000,
      onExpired: (tx) => expired.push(tx),
    });
    const id = txs.begin();
    txs.add(id, 'x', '1');
    clock.advance(1000);
    expect(txs.get(id).id).toBe(id); // exactly at the limit: still alive
    clock.advance(1);
    expect(() => txs.get(id)).toThrow(TxNotFoundError);
    expect(() => txs.get(id)).toThrow(TxNotFoundError);
    expect(expired.map((tx) => [tx.id, tx.files.length])).toEqual([[id, 1]]);
    expect(txs.active).toBe(0);
  });

  it('keeps a busy transaction alive, but not past its maximum lifetime', () => {
    const clock = msClock();
    const { txs } = setup({ clock: clock.now, idleTimeoutMs: 1000, maxLifetimeMs: 2500 });
    const id = txs.begin();
    for (let i = 0; i < 2; i++) {
      clock.advance(900);
      txs.add(id, `f${i}`, 'x');
    }
    clock.advance(900);
    expect(() => txs.add(id, 'late', 'x')).toThrow(TxNotFoundError);
  });

  it('sweeps every expired transaction and leaves the live ones', () => {
    const clock = msClock();
    const expired: string[] = [];
    const { txs } = setup({
      clock: clock.now,
      idleTimeoutMs: 1000,
      onExpired: (tx) => expired.push(tx.id),
    });
    const old1 = txs.begin();
    const old2 = txs.begin();
    clock.advance(600);
    const fresh = txs.begin();
    clock.advance(600);
    const swept = txs.sweep();
    expect(swept.map((tx) => tx.id).sort()).toEqual([old1, old2].sort());
    expect(expired.sort()).toEqual([old1, old2].sort());
    expect(txs.active).toBe(1);
    expect(txs.get(fresh).id).toBe(fresh);
  });

  it('frees room under maxOpen by discarding expired transactions first', () => {
    const clock = msClock();
    const { txs } = setup({ clock: clock.now, idleTimeoutMs: 10, maxOpen: 1 });
    txs.begin();
    clock.advance(11);
    expect(() => txs.begin()).not.toThrow();
    expect(txs.active).toBe(1);
  });
});
