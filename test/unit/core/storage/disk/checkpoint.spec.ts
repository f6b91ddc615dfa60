/**
 * Checkpoints: the order of durable file operations that keeps the git directory valid at every
 * instant (RELIABILITY P3, B2: every new file temp → fsync → rename → fsync(dir); objects before
 * refs; the marker last; the journal trimmed only after), the triggers (journal size, interval),
 * and the metadata files' permissions.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { FsOperation } from './disk-fixtures';
import { InstrumentedFileSystem, openDriver, scratchDirectory } from './disk-fixtures';

const committer = { name: 'C', email: 'c@example.com', timestamp: 1700000000, timezone: '+0000' };

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for a background checkpoint');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function packFiles(root: string, repo: string): string[] {
  return readdirSync(join(root, 'repos', `${repo}.git`, 'objects', 'pack'));
}

describe('checkpoints', () => {
  let dir: { path: string; cleanup: () => void };

  beforeEach(() => {
    dir = scratchDirectory();
  });

  afterEach(() => dir.cleanup());

  it('puts every file in place by temp, fsync, rename, fsync(dir): pack, index, refs, reflogs, marker, in that order', async () => {
    const fs = new InstrumentedFileSystem();
    const driver = await openDriver(dir.path, { fs });
    await driver.createRepository('ordered');
    const stores = await driver.openRepository('ordered');
    const blob = stores.objects.put('blob', Buffer.from('content'));
    stores.refs.update({
      name: 'refs/heads/main',
      expect: null,
      next: blob,
      reflog: { committer, message: 'create' },
    });
    stores.refs.update({ name: 'refs/heads/trunk', expect: null, next: blob });
    stores.refs.setSymbolic('HEAD', 'refs/heads/trunk');
    await stores.refs.flush();
    fs.operations.length = 0;
    await driver.closeRepository('ordered');

    const ops = fs.operations;
    const renames = ops.flatMap((op, i) => (op.op === 'rename' ? [{ ...op, at: i }] : []));
    const targets = renames.map((op) =>
      op.to.slice(join(dir.path, 'repos', 'ordered.git').length + 1),
    );
    expect(targets.map((target) => target.replace(/pack-[0-9a-f]{40}/, 'pack-X'))).toEqual([
      'objects/pack/pack-X.pack',
      'objects/pack/pack-X.idx',
      'packed-refs',
      'HEAD',
      'logs/refs/heads/main',
      'govc/checkpoint',
    ]);
    for (const rename of renames) {
      expect(rename.path).toContain(join('govc', 'tmp'));
      const synced = ops.findIndex(
        (op: FsOperation) => op.op === 'sync' && op.path === rename.path,
      );
      expect(synced).toBeGreaterThanOrEqual(0);
      expect(synced).toBeLessThan(rename.at);
      const dirSynced = ops.findIndex(
        (op, i) => i > rename.at && op.op === 'syncDirectory' && op.path === dirname(rename.to),
      );
      expect(dirSynced).toBeGreaterThan(rename.at);
    }
    const markerAt = renames[renames.length - 1]!.at;
    const trimmed = ops.findIndex(
      (op) => op.op === 'unlink' && op.path.includes(join('govc', 'journal')),
    );
    expect(trimmed).toBeGreaterThan(markerAt);
    await driver.close();
  });

  it('checkpoints in the background once the journal passes journal_max_size', async () => {
    const driver = await openDriver(dir.path, { journalMaxBytes: 16 * 1024 });
    await driver.createRepository('sized');
    const stores = await driver.openRepository('sized');
    for (let i = 0; i < 6; i++) {
      stores.objects.put('blob', Buffer.alloc(4096, i));
      await stores.objects.flush();
    }
    const journalDir = join(dir.path, 'repos', 'sized.git', 'govc', 'journal');
    const journalBytes = (): number =>
      readdirSync(journalDir).reduce((sum, name) => sum + statSync(join(journalDir, name)).size, 0);
    // Trimmed once the checkpoint is durable: what is left is at most the records after it.
    await waitFor(() => journalBytes() < 3 * 4096);
    expect(
      packFiles(dir.path, 'sized').filter((name) => name.endsWith('.idx')).length,
    ).toBeGreaterThanOrEqual(1);
    const marker = JSON.parse(
      readFileSync(join(dir.path, 'repos', 'sized.git', 'govc', 'checkpoint'), 'utf8'),
    );
    expect(marker.seq).toBeGreaterThanOrEqual(4);
    await driver.close();
  });

  it('checkpoints every checkpoint_interval', async () => {
    const driver = await openDriver(dir.path, { checkpointIntervalMs: 50 });
    await driver.createRepository('timed');
    const stores = await driver.openRepository('timed');
    stores.objects.put('blob', Buffer.from('timed'));
    await stores.objects.flush();
    await waitFor(() => packFiles(dir.path, 'timed').some((name) => name.endsWith('.idx')));
    driver.metadata.put('users', 'u1', { name: 'u1' });
    await driver.metadata.flush();
    await waitFor(() => existsSync(join(dir.path, 'meta', 'snapshot.json')));
    expect(
      JSON.parse(readFileSync(join(dir.path, 'meta', 'snapshot.json'), 'utf8')).collections,
    ).toEqual({ users: { u1: { name: 'u1' } } });
    await driver.close();
  });

  it('reopens a repository only after its closing checkpoint finished', async () => {
    const driver = await openDriver(dir.path);
    await driver.createRepository('reopened');
    const stores = await driver.openRepository('reopened');
    const oids = Array.from({ length: 200 }, (_, i) =>
      stores.objects.put('blob', Buffer.from(`object ${i}`)),
    );
    stores.refs.update({ name: 'refs/heads/main', expect: null, next: oids[199]! });
    await stores.refs.flush();
    const closing = driver.closeRepository('reopened');
    const again = await driver.openRepository('reopened');
    await closing;
    expect(again).not.toBe(stores);
    expect(again.objects.size).toBe(200);
    expect(again.refs.read('refs/heads/main')).toEqual({
      name: 'refs/heads/main',
      kind: 'direct',
      oid: oids[199],
    });
    await driver.close();
  });

  it('writes secrets and metadata readable by the owner only', async () => {
    const driver = await openDriver(dir.path);
    const secret = await driver.metadata.secret('jwt-secret', () => 's3cret-value');
    expect(secret).toBe('s3cret-value');
    expect(readFileSync(join(dir.path, 'jwt-secret'), 'utf8')).toBe('s3cret-value');
    expect(statSync(join(dir.path, 'jwt-secret')).mode & 0o777).toBe(0o600);
    driver.metadata.put('api_keys', 'k', { hash: 'h' });
    await driver.metadata.flush();
    await driver.close();
    expect(statSync(join(dir.path, 'meta', 'snapshot.json')).mode & 0o777).toBe(0o600);
  });
});
