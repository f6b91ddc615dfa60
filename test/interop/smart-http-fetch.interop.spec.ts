/**
 * The real git CLI fetching from govc-ts over smart HTTP (protocol v2 and v0): clone of a
 * repository made through the REST API (fsck --strict, same log as the API), incremental fetch,
 * shallow clone and deepen, partial clone, tags, refs/govc/ hidden.
 */
import { join } from 'node:path';
import { gitAvailable, tempDir } from '../support/git-cli';
import {
  gitAsync,
  gitOk,
  startGitHttpServer,
  type GitHttpServer,
} from '../support/git-http-server';

const describeGit = gitAvailable() ? describe : describe.skip;

describeGit('git smart HTTP: fetch', () => {
  let server: GitHttpServer;
  let dir: { path: string; cleanup: () => void };

  beforeAll(async () => {
    server = await startGitHttpServer();
    dir = tempDir('govc-fetch-');
  });
  afterAll(async () => {
    await server.close();
    dir.cleanup();
  });

  async function commitViaApi(repo: string, files: Record<string, string>, message: string) {
    for (const [path, content] of Object.entries(files)) {
      await server.http().post(`/api/v1/repos/${repo}/add`).send({ path, content }).expect(201);
    }
    const response = await server.http().post(`/api/v1/repos/${repo}/commit`).send({ message });
    expect(response.status).toBe(201);
    return (response.body as { hash: string }).hash;
  }

  async function apiLog(repo: string): Promise<string[]> {
    const response = await server.http().get(`/api/v1/repos/${repo}/log?limit=1000`).expect(200);
    return (response.body as { commits: Array<{ hash: string }> }).commits.map((c) => c.hash);
  }

  it.each([
    ['2', 'v2'],
    ['1', 'v1'],
    ['0', 'v0'],
  ])(
    'clones a repository made through the REST API (protocol.version=%s)',
    async (version, name) => {
      const repo = `clone-${name}`;
      await server.http().post('/api/v1/repos').send({ id: repo }).expect(201);
      await commitViaApi(repo, { 'README.md': '# hello\n', 'src/a.txt': 'a\n' }, 'first');
      await commitViaApi(repo, { 'src/a.txt': 'a2\n', 'src/deep/b.bin': 'b\u0000b' }, 'second');
      await server
        .http()
        .post(`/api/v1/repos/${repo}/tags`)
        .send({ name: 'v1', message: 'release one' })
        .expect(201);

      const target = join(dir.path, repo);
      await gitOk([
        '-c',
        `protocol.version=${version}`,
        'clone',
        `${server.base}/${repo}.git`,
        target,
      ]);
      await gitOk(['fsck', '--strict'], { cwd: target });
      const log = (await gitOk(['log', '--format=%H'], { cwd: target })).trim().split('\n');
      expect(log).toEqual(await apiLog(repo));
      expect(await gitOk(['show', 'HEAD:src/a.txt'], { cwd: target })).toBe('a2\n');
      expect((await gitOk(['tag', '-l'], { cwd: target })).trim()).toBe('v1');
      expect((await gitOk(['cat-file', '-t', 'v1'], { cwd: target })).trim()).toBe('tag');
      expect((await gitOk(['rev-parse', '--abbrev-ref', 'HEAD'], { cwd: target })).trim()).toBe(
        'main',
      );
    },
  );

  it.each(['2', '0'])('fetches only what is new (protocol.version=%s)', async (version) => {
    const repo = `incremental-v${version}`;
    await server.http().post('/api/v1/repos').send({ id: repo }).expect(201);
    await commitViaApi(repo, { 'a.txt': 'one\n' }, 'one');
    const target = join(dir.path, repo);
    const v = ['-c', `protocol.version=${version}`];
    await gitOk([...v, 'clone', `${server.base}/${repo}.git`, target]);
    const second = await commitViaApi(repo, { 'a.txt': 'two\n', 'b.txt': 'b\n' }, 'two');
    const fetched = await gitAsync([...v, 'fetch', '--progress', 'origin'], { cwd: target });
    expect(fetched.status).toBe(0);
    expect((await gitOk(['rev-parse', 'origin/main'], { cwd: target })).trim()).toBe(second);
    // Only the new commit, its tree and two blobs crossed the wire.
    expect(fetched.stderr).toMatch(/Total 4 /);
    await gitOk(['fsck', '--strict'], { cwd: target });
    const upToDate = await gitAsync([...v, 'fetch', 'origin'], { cwd: target });
    expect(upToDate.status).toBe(0);
  });

  it.each(['2', '0'])(
    'negotiates over several rounds when the client has many commits of its own (v%s)',
    async (version) => {
      const repo = `rounds-v${version}`;
      await server.http().post('/api/v1/repos').send({ id: repo }).expect(201);
      await commitViaApi(repo, { 'a.txt': 'one\n' }, 'one');
      const target = join(dir.path, repo);
      const v = ['-c', `protocol.version=${version}`];
      await gitOk([...v, 'clone', '-q', `${server.base}/${repo}.git`, target]);
      const stream = Array.from(
        { length: 300 },
        (_, i) =>
          `commit refs/heads/local\nmark :${i + 1}\ncommitter L <l@x> ${1700000000 + i} +0000\ndata 2\nl\n` +
          (i === 0 ? 'from refs/heads/main\n' : `from :${i}\n`) +
          '\n',
      ).join('');
      await gitOk(['fast-import', '--quiet'], { cwd: target, input: stream });
      const next = await commitViaApi(repo, { 'b.txt': 'two\n' }, 'two');
      await gitOk([...v, 'fetch', '-q', 'origin'], { cwd: target });
      expect((await gitOk(['rev-parse', 'origin/main'], { cwd: target })).trim()).toBe(next);
      await gitOk(['fsck', '--strict'], { cwd: target });
    },
  );

  it.each(['2', '0'])('clones shallow and deepens (protocol.version=%s)', async (version) => {
    const repo = `shallow-v${version}`;
    await server.http().post('/api/v1/repos').send({ id: repo }).expect(201);
    const commits: string[] = [];
    for (let i = 1; i <= 4; i++)
      commits.push(await commitViaApi(repo, { 'f.txt': `${i}\n` }, `c${i}`));
    const target = join(dir.path, repo);
    const v = ['-c', `protocol.version=${version}`];
    await gitOk([...v, 'clone', '--depth', '1', `${server.base}/${repo}.git`, target]);
    expect((await gitOk(['rev-list', '--count', 'HEAD'], { cwd: target })).trim()).toBe('1');
    expect((await gitOk(['rev-parse', '--is-shallow-repository'], { cwd: target })).trim()).toBe(
      'true',
    );
    await gitOk([...v, 'fetch', '--deepen', '2'], { cwd: target });
    expect((await gitOk(['rev-list', '--count', 'HEAD'], { cwd: target })).trim()).toBe('3');
    await gitOk([...v, 'fetch', '--unshallow'], { cwd: target });
    expect((await gitOk(['rev-list', '--count', 'HEAD'], { cwd: target })).trim()).toBe('4');
    expect((await gitOk(['rev-parse', '--is-shallow-repository'], { cwd: target })).trim()).toBe(
      'false',
    );
    await gitOk(['fsck', '--strict'], { cwd: target });
    // deepen-not: history stops at what the excluded tag reaches.
    await server
      .http()
      .post(`/api/v1/repos/${repo}/tags`)
      .send({ name: 'old', ref: commits[1] })
      .expect(201);
    const excluded = join(dir.path, `${repo}-exclude`);
    await gitOk([...v, 'clone', '--shallow-exclude=old', `${server.base}/${repo}.git`, excluded]);
    expect((await gitOk(['rev-list', 'HEAD'], { cwd: excluded })).trim().split('\n')).toEqual([
      commits[3],
      commits[2],
    ]);
  });

  it('clones with --filter=blob:none and fetches blobs on demand', async () => {
    const repo = 'partial';
    await server.http().post('/api/v1/repos').send({ id: repo }).expect(201);
    await commitViaApi(repo, { 'old.txt': 'old\n' }, 'one');
    await commitViaApi(repo, { 'new.txt': 'new\n' }, 'two');
    const target = join(dir.path, repo);
    await gitOk([
      '-c',
      'protocol.version=2',
      'clone',
      '--no-checkout',
      '--filter=blob:none',
      `${server.base}/${repo}.git`,
      target,
    ]);
    const listed = await gitOk(['rev-list', '--objects', '--missing=print', 'HEAD'], {
      cwd: target,
      env: { GIT_NO_LAZY_FETCH: '1' },
    });
    expect(listed.match(/^\?[0-9a-f]{40}$/gm)).toHaveLength(2);
    await gitOk(['checkout', 'main'], { cwd: target });
    expect(await gitOk(['show', 'HEAD:new.txt'], { cwd: target })).toBe('new\n');
    expect(await gitOk(['show', 'HEAD~1:old.txt'], { cwd: target })).toBe('old\n');
  });

  it('never advertises refs/govc/ (stash ids)', async () => {
    const repo = 'hidden';
    await server.http().post('/api/v1/repos').send({ id: repo }).expect(201);
    await commitViaApi(repo, { 'a.txt': 'a\n' }, 'one');
    await server
      .http()
      .post(`/api/v1/repos/${repo}/add`)
      .send({ path: 'a.txt', content: 'x\n' })
      .expect(201);
    await server.http().post(`/api/v1/repos/${repo}/stash`).send({ message: 'wip' });
    const listed = await gitOk(['ls-remote', `${server.base}/${repo}.git`]);
    expect(listed).toMatch(/refs\/heads\/main/);
    expect(listed).not.toMatch(/refs\/govc\//);
  });

  it('answers the dumb protocol and unknown repositories in plain text', async () => {
    const dumb = await server.http().get('/nope.git/info/refs');
    expect(dumb.status).toBe(403);
    expect(dumb.text).toMatch(/dumb HTTP protocol not supported/);
    const missing = await server.http().get('/nope.git/info/refs?service=git-upload-pack');
    expect(missing.status).toBe(404);
    expect(missing.text).toBe('repository not found\n');
    const cloned = await gitAsync(['clone', `${server.base}/nope.git`, join(dir.path, 'nope')]);
    expect(cloned.status).not.toBe(0);
  });
});
