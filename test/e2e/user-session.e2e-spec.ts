/**
 * One user's session over HTTP against the durable disk driver (create a repository, add
 * nested files, commit, change, commit, log, show, diff, blame, read at a ref), replayed with
 * the real git: the commit ids, the diff text, blame and log must be git's own. After the
 * server stops, the repository on disk is a bare git repository that `git fsck --strict`
 * accepts and whose history is the one the API showed.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { git, gitAvailable, tempDir } from '../support/git-cli';
import { startTestApp } from '../support/test-app';

const describeWithGit = gitAvailable() ? describe : describe.skip;

interface CommitBody {
  hash: string;
  message: string;
  author: string;
  email: string;
  timestamp: string;
  tree: string;
}

/** git's identity and dates for replaying a commit the API made. */
function commitEnv(commit: CommitBody): Record<string, string> {
  const date = `${Date.parse(commit.timestamp) / 1000} +0000`;
  return {
    GIT_AUTHOR_NAME: commit.author,
    GIT_AUTHOR_EMAIL: commit.email,
    GIT_AUTHOR_DATE: date,
    GIT_COMMITTER_NAME: commit.author,
    GIT_COMMITTER_EMAIL: commit.email,
    GIT_COMMITTER_DATE: date,
  };
}

describeWithGit('a user session, checked against git (e2e)', () => {
  let dataDir: string;
  let app: NestExpressApplication;
  const work = tempDir('govc-session-');
  const http = () => request(app.getHttpServer());
  const api = '/api/v1/repos/session';

  function writeWork(file: string, content: string): void {
    const full = path.join(work.path, file);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, content);
  }

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'govc-session-data-'));
    app = await startTestApp({ GOVC_STORAGE_DRIVER: 'disk', GOVC_STORAGE_PATH: dataDir });
    git(['init', '-q', '-b', 'main', work.path]);
  });
  afterAll(async () => {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
    work.cleanup();
  });

  const files1: Record<string, string> = {
    'README.md': '# Session\n\nA demo repository.\n',
    'src/app/main.ts': "import { helper } from '../lib/util';\n\nconsole.log(helper(2));\n",
    'src/lib/util.ts': 'export function helper(n: number): number {\n  return n * 2;\n}\n',
    'docs/guide/intro.md': 'Intro\n=====\n\nWelcome.\n',
  };
  let first: CommitBody;
  let second: CommitBody;

  it('creates the repository and commits nested files with git-identical ids', async () => {
    await http().post('/api/v1/repos').send({ id: 'session' }).expect(201);
    for (const [file, content] of Object.entries(files1)) {
      await http().post(`${api}/add`).send({ path: file, content }).expect(201);
      writeWork(file, content);
    }
    const status = await http().get(`${api}/status`).expect(200);
    expect(status.body.staged).toEqual(Object.keys(files1).sort());

    first = (
      await http()
        .post(`${api}/commit`)
        .send({
          message: 'Initial layout',
          author: { name: 'Ada Lovelace', email: 'ada@example.com' },
        })
        .expect(201)
    ).body as CommitBody;

    git(['add', '-A'], { cwd: work.path });
    git(['commit', '-q', '-m', 'Initial layout'], { cwd: work.path, env: commitEnv(first) });
    expect(first.hash).toBe(git(['rev-parse', 'HEAD'], { cwd: work.path }).trim());
    expect(first.tree).toBe(git(['rev-parse', 'HEAD^{tree}'], { cwd: work.path }).trim());
  });

  it('changes, moves and removes files, and commits again with the stored identity', async () => {
    const util = 'export function helper(n: number): number {\n  // doubled\n  return n * 2;\n}\n';
    await http().post(`${api}/add`).send({ path: 'src/lib/util.ts', content: util }).expect(201);
    writeWork('src/lib/util.ts', util);
    await http()
      .post(`${api}/add`)
      .send({ path: 'src/lib/new.ts', content: 'export {};\n' })
      .expect(201);
    writeWork('src/lib/new.ts', 'export {};\n');
    await http().post(`${api}/move`).send({ from: 'README.md', to: 'docs/README.md' }).expect(200);
    git(['mv', 'README.md', 'docs/README.md'], { cwd: work.path });
    await http().delete(`${api}/remove/docs/guide`).expect(200);
    git(['rm', '-q', '-r', 'docs/guide'], { cwd: work.path });

    second = (await http().post(`${api}/commit`).send({ message: 'Refactor' }).expect(201))
      .body as CommitBody;
    expect(second).toMatchObject({ author: 'Ada Lovelace', email: 'ada@example.com' });

    git(['add', '-A'], { cwd: work.path });
    git(['commit', '-q', '-m', 'Refactor'], { cwd: work.path, env: commitEnv(second) });
    expect(second.hash).toBe(git(['rev-parse', 'HEAD'], { cwd: work.path }).trim());
  });

  it('logs the history as git log does', async () => {
    const response = await http().get(`${api}/log`).expect(200);
    const expected = git(['log', '--format=%H'], { cwd: work.path }).trim().split('\n');
    expect((response.body.commits as Array<CommitBody>).map((c) => c.hash)).toEqual(expected);
    expect(response.body.has_more).toBe(false);
  });

  it('shows the second commit with its real changes', async () => {
    const response = await http().get(`${api}/show/${second.hash}`).expect(200);
    expect(
      (response.body.files as Array<{ path: string; status: string }>).map((f) => [
        f.path,
        f.status,
      ]),
    ).toEqual([
      ['docs/README.md', 'renamed'],
      ['docs/guide/intro.md', 'deleted'],
      ['src/lib/new.ts', 'added'],
      ['src/lib/util.ts', 'modified'],
    ]);
    const nameStatus = git(['show', '--format=', '--name-status', '-M', 'HEAD'], {
      cwd: work.path,
    });
    const raw = await http().get(`${api}/diff/HEAD~1/HEAD?format=raw`).expect(200);
    expect(raw.body.diff).toBe(nameStatus);
  });

  it('diffs exactly as git diff', async () => {
    const response = await http().get(`${api}/diff/${first.hash}/${second.hash}`).expect(200);
    expect(response.body.diff).toBe(
      git(['diff', '--no-color', 'HEAD~1', 'HEAD'], { cwd: work.path }),
    );
    const file = await http().get(`${api}/diff/file/src/lib/util.ts`).expect(200);
    expect(file.body.diff).toBe(
      git(['diff', '--no-color', 'HEAD~1', 'HEAD', '--', 'src/lib/util.ts'], { cwd: work.path }),
    );
  });

  it('blames lines to the commits git blames them to', async () => {
    const response = await http().get(`${api}/blame/src/lib/util.ts`).expect(200);
    const porcelain = git(['blame', '--line-porcelain', 'HEAD', '--', 'src/lib/util.ts'], {
      cwd: work.path,
    });
    const commits = porcelain
      .split('\n')
      .filter((line) => /^[0-9a-f]{40} /.test(line))
      .map((line) => line.slice(0, 40));
    expect(
      (response.body.lines as Array<{ commit_hash: string }>).map((l) => l.commit_hash),
    ).toEqual(commits);
    expect((response.body.lines as Array<{ content: string }>).map((l) => l.content)).toEqual([
      'export function helper(n: number): number {',
      '  // doubled',
      '  return n * 2;',
      '}',
    ]);
  });

  it('reads files at a ref without touching the working tree', async () => {
    await http()
      .post(`${api}/write`)
      .send({ path: 'src/lib/util.ts', content: 'local edit\n' })
      .expect(200);
    const old = await http().get(`${api}/read/README.md?ref=HEAD~1`).expect(200);
    expect(old.body.content).toBe(files1['README.md']);
    expect(old.body.hash).toBe(git(['rev-parse', 'HEAD~1:README.md'], { cwd: work.path }).trim());
    const working = await http().get(`${api}/read/src/lib/util.ts`).expect(200);
    expect(working.body.content).toBe('local edit\n');
    const status = await http().get(`${api}/status`).expect(200);
    expect(status.body).toMatchObject({ modified: ['src/lib/util.ts'], staged: [], clean: false });
    const tree = await http().get(`${api}/tree?recursive=true&ref=HEAD`).expect(200);
    const lsTree = git(['ls-tree', '-r', '--name-only', 'HEAD'], { cwd: work.path })
      .trim()
      .split('\n');
    expect((tree.body.entries as Array<{ path: string }>).map((e) => e.path)).toEqual(lsTree);
  });

  it('leaves a bare git repository on disk that git fsck --strict accepts', async () => {
    await app.close();
    const gitDir = path.join(dataDir, 'repos', 'session.git');
    git(['--git-dir', gitDir, 'fsck', '--strict', '--no-dangling']);
    expect(git(['--git-dir', gitDir, 'rev-parse', 'refs/heads/main']).trim()).toBe(second.hash);
    expect(git(['--git-dir', gitDir, 'log', '--format=%H', 'main']).trim().split('\n')).toEqual([
      second.hash,
      first.hash,
    ]);
    // Started again, the server serves the same repository.
    app = await startTestApp({ GOVC_STORAGE_DRIVER: 'disk', GOVC_STORAGE_PATH: dataDir });
    const log = await http().get(`${api}/log`).expect(200);
    expect((log.body.commits as Array<CommitBody>).map((c) => c.hash)).toEqual([
      second.hash,
      first.hash,
    ]);
  });
});
