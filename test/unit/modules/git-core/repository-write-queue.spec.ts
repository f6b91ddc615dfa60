import { RepoBusyError } from '../../../../src/modules/git-core/capacity-errors';
import { RepositoryWriteQueue } from '../../../../src/modules/git-core/repository-write-queue';

function deferred(): { promise: Promise<void>; resolve: () => void; reject: (e: Error) => void } {
  let resolve!: () => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('RepositoryWriteQueue', () => {
  it('runs exclusive parts one at a time in arrival order', async () => {
    const queue = new RepositoryWriteQueue('r');
    const events: string[] = [];
    const gate = deferred();
    const first = queue.run(async () => {
      events.push('first:start');
      await gate.promise;
      events.push('first:end');
      return { value: 1, durable: Promise.resolve() };
    });
    const second = queue.run(() => {
      events.push('second');
      return { value: 2, durable: Promise.resolve() };
    });
    await Promise.resolve();
    expect(events).toEqual(['first:start']);
    gate.resolve();
    expect(await Promise.all([first, second])).toEqual([1, 2]);
    expect(events).toEqual(['first:start', 'first:end', 'second']);
  });

  it('acknowledges a write only when it is durable, without holding up the next write', async () => {
    const queue = new RepositoryWriteQueue('r');
    const flush = deferred();
    let acknowledged = false;
    const first = queue
      .run(() => ({ value: 'a', durable: flush.promise }))
      .then(() => (acknowledged = true));
    const second = await queue.run(() => ({ value: 'b', durable: Promise.resolve() }));
    expect(second).toBe('b');
    expect(acknowledged).toBe(false);
    flush.resolve();
    await first;
    expect(acknowledged).toBe(true);
  });

  it('refuses writes past its bound with RepoBusyError, and accepts them again once drained', async () => {
    const queue = new RepositoryWriteQueue('busy', 2);
    const flush = deferred();
    const pending = [
      queue.run(() => ({ value: 1, durable: flush.promise })),
      queue.run(() => ({ value: 2, durable: flush.promise })),
    ];
    expect(queue.size).toBe(2);
    expect(() => queue.run(() => ({ value: 3, durable: Promise.resolve() }))).toThrow(
      RepoBusyError,
    );
    flush.resolve();
    await Promise.all(pending);
    expect(queue.size).toBe(0);
    await expect(queue.run(() => ({ value: 4, durable: Promise.resolve() }))).resolves.toBe(4);
  });

  it('lets a failed write reject alone; later writes still run', async () => {
    const queue = new RepositoryWriteQueue('r');
    const failed = queue.run(() => {
      throw new Error('refused');
    });
    const flushFailed = queue.run(() => ({ value: 1, durable: Promise.reject(new Error('io')) }));
    const next = queue.run(() => ({ value: 'ok', durable: Promise.resolve() }));
    await expect(failed).rejects.toThrow('refused');
    await expect(flushFailed).rejects.toThrow('io');
    await expect(next).resolves.toBe('ok');
    expect(queue.size).toBe(0);
  });

  it('idle() waits for every write that arrived before it', async () => {
    const queue = new RepositoryWriteQueue('r');
    const flush = deferred();
    void queue.run(() => ({ value: 1, durable: flush.promise }));
    let idle = false;
    const waiting = queue.idle().then(() => (idle = true));
    await Promise.resolve();
    expect(idle).toBe(false);
    flush.resolve();
    await waiting;
    expect(idle).toBe(true);
  });
});
