/**
 * kill -9 (RELIABILITY B1, P3): a child process appends commits to three repositories, with
 * checkpoints running, and prints each commit once acknowledged; it is SIGKILLed at a random
 * moment. Right after the kill every repository passes `git fsck --strict --no-dangling`; a
 * reopened driver finds every printed commit on its branch; after a clean close fsck still
 * passes. A few rounds on the same directory, each continuing the history.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Oid } from '../../../../../src/core/objects/oid';
import { Repository } from '../../../../../src/core/repo/repository';
import { fcSeed } from '../../../../support/fast-check';
import { gitAvailable, gitResult } from '../../../../support/git-cli';
import { openDriver, scratchDirectory } from './disk-fixtures';
import { KILL_TEST_REPOSITORIES } from './fixtures/commit-writer';

const ROUNDS = 3;
const describeWithGit = gitAvailable() ? describe : describe.skip;
const repoRoot = join(__dirname, '..', '..', '..', '..', '..');

/** Runs the writer, kills it `delayMs` after it is ready, returns the acknowledged commits. */
function runAndKill(dataDir: string, delayMs: number): Promise<Map<string, Oid[]>> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '-r',
        './scripts/register-ts.js',
        'test/unit/core/storage/disk/fixtures/commit-writer.ts',
        dataDir,
      ],
      { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const acked = new Map<string, Oid[]>(KILL_TEST_REPOSITORIES.map((id) => [id, []]));
    let stderr = '';
    let killed = false;
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line === 'ready') {
        setTimeout(() => {
          killed = true;
          child.kill('SIGKILL');
        }, delayMs);
        return;
      }
      const [repo, oid] = line.split(' ');
      acked.get(repo!)?.push(oid!);
    });
    child.on('error', reject);
    child.on('close', () => {
      if (killed) resolve(acked);
      else reject(new Error(`writer exited by itself: ${stderr}`));
    });
  });
}

function fsckComplaints(gitDir: string): string {
  const result = gitResult([
    '--git-dir',
    gitDir,
    'fsck',
    '--strict',
    '--no-dangling',
    '--no-progress',
  ]);
  const complaints = (result.stdout + result.stderr)
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('notice:'));
  return `${result.status} ${complaints.join('\n')}`.trim();
}

describeWithGit('recovery after kill -9', () => {
  it('keeps every acknowledged commit and a valid git directory at every kill', async () => {
    const dir = scratchDirectory();
    let seed = fcSeed() >>> 0;
    const nextDelay = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return 150 + (seed % 600);
    };
    const allAcked = new Map<string, Oid[]>(KILL_TEST_REPOSITORIES.map((id) => [id, []]));
    try {
      for (let round = 0; round < ROUNDS; round++) {
        const acked = await runAndKill(dir.path, nextDelay());
        for (const [id, oids] of acked) allAcked.get(id)!.push(...oids);
        for (const id of KILL_TEST_REPOSITORIES) {
          expect(`${id}: ${fsckComplaints(join(dir.path, 'repos', `${id}.git`))}`).toBe(`${id}: 0`);
        }

        const driver = await openDriver(dir.path);
        for (const id of KILL_TEST_REPOSITORIES) {
          const stores = await driver.openRepository(id);
          const repo = new Repository({ objects: stores.objects, refs: stores.refs });
          const history = new Set(repo.log({ limit: 1_000_000 }).commits);
          const missing = allAcked.get(id)!.filter((oid) => !history.has(oid));
          expect(
            `${id}: ${missing.length} of ${allAcked.get(id)!.length} acknowledged commits missing`,
          ).toBe(`${id}: 0 of ${allAcked.get(id)!.length} acknowledged commits missing`);
        }
        await driver.close();
        for (const id of KILL_TEST_REPOSITORIES) {
          expect(`${id}: ${fsckComplaints(join(dir.path, 'repos', `${id}.git`))}`).toBe(`${id}: 0`);
        }
      }
      const total = [...allAcked.values()].reduce((sum, oids) => sum + oids.length, 0);
      expect(total).toBeGreaterThan(ROUNDS);
      process.stdout.write(
        `reliability B1 (disk, small): ${total} commits, ${ROUNDS} kills, 0 lost, fsck clean\n`,
      );
    } finally {
      dir.cleanup();
    }
  }, 60_000);
});
