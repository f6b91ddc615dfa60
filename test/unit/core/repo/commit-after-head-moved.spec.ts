/**
 * A transaction committed on the checked-out branch moves HEAD under the shared working state.
 * The working state must follow it, and a later commit of the index must never silently revert
 * the transaction's work: local changes that cannot follow refuse the transaction instead.
 */
import { TxConflictError } from '../../../../src/core/errors/transaction-errors';
import { Repository } from '../../../../src/core/repo/repository';
import { TransactionManager } from '../../../../src/core/repo/transactions';

const author = { name: 'Ada', email: 'ada@example.com' };

function repositoryWithTwoFiles(): Repository {
  let t = 1_700_000_000;
  const repo = new Repository({ clock: { now: () => t++ } });
  repo.add('a.txt', 'a\n');
  repo.add('b.txt', 'b\n');
  repo.commit({ message: 'base', author });
  return repo;
}

function commitThroughTransaction(repo: Repository, path: string, content: string): string {
  const transactions = new TransactionManager(repo);
  const id = transactions.begin();
  transactions.add(id, path, content);
  transactions.validate(id);
  return transactions.commit(id, { message: `tx changes ${path}`, author }).oid;
}

describe('transaction commit on the checked-out branch', () => {
  it('keeps the moved-in change and adds the staged one on top', () => {
    const repo = repositoryWithTwoFiles();
    repo.add('a.txt', 'staged change\n');
    const txCommit = commitThroughTransaction(repo, 'b.txt', 'from transaction\n');
    const result = repo.commit({ message: 'api commit', author });
    expect(result.commit.parents).toEqual([txCommit]);
    expect(Buffer.from(repo.readAt('HEAD', 'b.txt').content).toString()).toBe('from transaction\n');
    expect(Buffer.from(repo.readAt('HEAD', 'a.txt').content).toString()).toBe('staged change\n');
  });

  it('is refused with TX_CONFLICT, moving nothing, when local changes touch the same path', () => {
    const repo = repositoryWithTwoFiles();
    const before = repo.head().oid;
    repo.add('a.txt', 'staged change\n');
    expect(() => commitThroughTransaction(repo, 'a.txt', 'from transaction\n')).toThrow(
      TxConflictError,
    );
    expect(repo.head().oid).toBe(before);
    expect(repo.status().staged).toEqual(['a.txt']);
    const result = repo.commit({ message: 'api commit', author });
    expect(result.commit.parents).toEqual([before]);
    expect(Buffer.from(repo.readAt('HEAD', 'a.txt').content).toString()).toBe('staged change\n');
  });
});
