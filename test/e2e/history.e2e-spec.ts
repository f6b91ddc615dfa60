/**
 * Commits, history, status, show, diffs and blame (api-contract.md §3.2, §3.3, §0.8, §4).
 */
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { RepositoryRegistry } from '../../src/modules/git-core/repository-registry';
import { commitFiles, createRepo } from '../support/repo-fixture';
import { startTestApp } from '../support/test-app';

const HASH = /^[0-9a-f]{40}$/;
const GIT_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';

describe('commits, history, diff and blame (e2e)', () => {
  let app: NestExpressApplication;
  let seq = 0;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  const http = () => request(app.getHttpServer());

  async function repo(): Promise<string> {
    const id = `hist${++seq}`;
    await http().post('/api/v1/repos').send({ id }).expect(201);
    return id;
  }

  async function add(id: string, path: string, content: string): Promise<void> {
    await http().post(`/api/v1/repos/${id}/add`).send({ path, content }).expect(201);
  }

  async function commit(
    id: string,
    message: string,
    extra: object = {},
  ): Promise<request.Response> {
    return http()
      .post(`/api/v1/repos/${id}/commit`)
      .send({ message, ...extra })
      .expect(201);
  }

  describe('POST …/commit', () => {
    it('answers 201 with a full CommitResponse; a root commit has no parent', async () => {
      const id = await repo();
      await add(id, 'a.txt', 'a\n');
      const response = await commit(id, 'First commit\n\nWith a body.\n', {
        author: 'Ada Lovelace',
        email: 'ada@example.com',
      });
      expect(response.body).toEqual({
        hash: expect.stringMatching(HASH),
        message: 'First commit\n\nWith a body.',
        author: 'Ada Lovelace',
        email: 'ada@example.com',
        timestamp: expect.stringMatching(GIT_TIME),
        parents: [],
        tree: expect.stringMatching(HASH),
        committer: {
          name: 'Ada Lovelace',
          email: 'ada@example.com',
          timestamp: response.body.timestamp,
        },
      });
      expect(Object.keys(response.body)).not.toContain('parent');
      await add(id, 'b.txt', 'b\n');
      const second = await commit(id, 'Second');
      expect(second.body.parent).toBe(response.body.hash);
      expect(second.body.parents).toEqual([response.body.hash]);
    });

    it('follows the identity rules: request, then stored config, then Unknown', async () => {
      const id = await repo();
      await add(id, 'a', '1');
      const anonymous = await commit(id, 'anon');
      expect(anonymous.body).toMatchObject({ author: 'Unknown', email: 'unknown@example.com' });
      await add(id, 'a', '2');
      const object = await commit(id, 'object', {
        author: { name: 'Grace', email: 'grace@example.com' },
      });
      expect(object.body).toMatchObject({ author: 'Grace', email: 'grace@example.com' });
      await add(id, 'a', '3');
      const stored = await commit(id, 'stored');
      expect(stored.body).toMatchObject({ author: 'Grace', email: 'grace@example.com' });
      await add(id, 'a', '4');
      const nameOnly = await commit(id, 'name only', { author: 'Linus' });
      expect(nameOnly.body).toMatchObject({ author: 'Linus', email: 'grace@example.com' });
      const fresh = await repo();
      await add(fresh, 'a', '1');
      const v2 = await http()
        .post(`/api/v2/repos/${fresh}/commits`)
        .send({ message: 'v2', email: 'v2@example.com' })
        .expect(201);
      expect(v2.body).toMatchObject({ author: 'Unknown', email: 'v2@example.com' });
    });

    it('refuses bad identities: 400 INVALID_EMAIL, 400 INVALID_REQUEST for names and types', async () => {
      const id = await repo();
      await add(id, 'a', '1');
      for (const email of ['not-an-email', `${'x'.repeat(250)}@example.com`, 'a@b@c']) {
        const response = await http()
          .post(`/api/v1/repos/${id}/commit`)
          .send({ message: 'm', email })
          .expect(400);
        expect(response.body.code).toBe('INVALID_EMAIL');
      }
      const name = await http()
        .post(`/api/v1/repos/${id}/commit`)
        .send({ message: 'm', author: 'Evil <x>' })
        .expect(400);
      expect(name.body.code).toBe('INVALID_REQUEST');
      expect(name.body.details.fields[0].field).toBe('author');
      const typed = await http()
        .post(`/api/v1/repos/${id}/commit`)
        .send({ message: 'm', author: 42, allow_empty: 'no' })
        .expect(400);
      expect((typed.body.details.fields as Array<{ field: string }>).map((f) => f.field)).toEqual([
        'author',
        'allow_empty',
      ]);
      // Nothing was stored by the refused requests.
      const ok = await commit(id, 'fine');
      expect(ok.body).toMatchObject({ author: 'Unknown', email: 'unknown@example.com' });
    });

    it('refuses bad messages and empty commits', async () => {
      const id = await repo();
      const missing = await http().post(`/api/v1/repos/${id}/commit`).send({}).expect(400);
      expect(missing.body.code).toBe('INVALID_REQUEST');
      for (const message of ['', '   \n', 'nul\u0000inside', 'x'.repeat(100_001)]) {
        const response = await http()
          .post(`/api/v1/repos/${id}/commit`)
          .send({ message })
          .expect(400);
        expect(response.body.code).toBe('INVALID_COMMIT_MESSAGE');
      }
      const nothing = await http()
        .post(`/api/v1/repos/${id}/commit`)
        .send({ message: 'm' })
        .expect(400);
      expect(nothing.body).toEqual({
        error: 'failed to commit: nothing to commit',
        code: 'COMMIT_FAILED',
      });
      const empty = await commit(id, 'empty', { allow_empty: true });
      expect(empty.body.tree).toBe(EMPTY_TREE);
    });
  });

  describe('GET …/log', () => {
    let id: string;
    const hashes: string[] = [];
    beforeAll(async () => {
      id = `log${++seq}`;
      await createRepo(app, id);
      // c0 - c1 - c2 on main, side branch s1 from c1, merged as c3.
      hashes.push(await commitFiles(app, id, { 'a.txt': '0' }, 'c0', 1_000));
      hashes.push(await commitFiles(app, id, { 'a.txt': '1', 'dir/x': 'x' }, 'c1', 2_000));
      await app.get(RepositoryRegistry).write(id, ({ repository }) => {
        repository.createBranch('side');
        repository.checkout('side');
      });
      hashes.push(await commitFiles(app, id, { 'side.txt': 's' }, 's1', 3_000));
      await app.get(RepositoryRegistry).write(id, ({ repository }) => repository.checkout('main'));
      hashes.push(await commitFiles(app, id, { 'dir/y': 'y' }, 'c2', 4_000));
      hashes.push(
        await app.get(RepositoryRegistry).write(id, ({ repository }) => {
          const identity = { name: 'M', email: 'm@example.com', timestamp: 5_000 };
          return repository.merge('side', 'main', { identity, noFf: true }).commit ?? '';
        }),
      );
    });

    it('lists newest first with total = count and has_more', async () => {
      const [c0, c1, s1, c2, merge] = hashes;
      const response = await http().get(`/api/v1/repos/${id}/log`).expect(200);
      expect((response.body.commits as Array<{ hash: string }>).map((c) => c.hash)).toEqual([
        merge,
        c2,
        s1,
        c1,
        c0,
      ]);
      expect(response.body).toMatchObject({ total: 5, count: 5, has_more: false });
      expect(response.body.commits[0].parents).toEqual([c2, s1]);
      expect(response.body.commits[4].timestamp).toBe('1970-01-01T00:16:40Z');
    });

    it('pages with limit and offset', async () => {
      const page = await http().get(`/api/v1/repos/${id}/log?limit=2&offset=1`).expect(200);
      expect((page.body.commits as Array<{ hash: string }>).map((c) => c.hash)).toEqual([
        hashes[3],
        hashes[2],
      ]);
      expect(page.body).toMatchObject({ total: 2, count: 2, has_more: true });
      const v2 = await http().get(`/api/v2/repos/${id}/commits?limit=2&offset=1`).expect(200);
      expect(v2.body).toEqual(page.body);
    });

    it('filters by ref, first_parent and path', async () => {
      const side = await http().get(`/api/v1/repos/${id}/log?ref=side`).expect(200);
      expect((side.body.commits as Array<{ message: string }>).map((c) => c.message)).toEqual([
        's1',
        'c1',
        'c0',
      ]);
      const first = await http().get(`/api/v1/repos/${id}/log?first_parent=true`).expect(200);
      expect((first.body.commits as Array<{ message: string }>).map((c) => c.message)).toEqual([
        "Merge branch 'side'",
        'c2',
        'c1',
        'c0',
      ]);
      const dir = await http().get(`/api/v1/repos/${id}/log?path=dir`).expect(200);
      expect((dir.body.commits as Array<{ message: string }>).map((c) => c.message)).toEqual([
        'c2',
        'c1',
      ]);
      const file = await http().get(`/api/v1/repos/${id}/log?path=/a.txt&ref=HEAD~1`).expect(200);
      expect((file.body.commits as Array<{ message: string }>).map((c) => c.message)).toEqual([
        'c1',
        'c0',
      ]);
    });

    it('answers [] for an unborn HEAD, 404 for an explicit unknown ref, 400 for bad paging', async () => {
      const fresh = await repo();
      const empty = await http().get(`/api/v1/repos/${fresh}/log`).expect(200);
      expect(empty.body).toEqual({ commits: [], total: 0, count: 0, has_more: false });
      const unborn = await http().get(`/api/v1/repos/${fresh}/log?ref=HEAD`).expect(404);
      expect(unborn.body.code).toBe('REF_NOT_FOUND');
      const unknown = await http().get(`/api/v1/repos/${id}/log?ref=nope`).expect(404);
      expect(unknown.body.code).toBe('REF_NOT_FOUND');
      const limit = await http().get(`/api/v1/repos/${id}/log?limit=0`).expect(400);
      expect(limit.body.code).toBe('INVALID_LIMIT');
      const offset = await http().get(`/api/v1/repos/${id}/log?offset=-3`).expect(400);
      expect(offset.body.code).toBe('INVALID_OFFSET');
      const capped = await http().get(`/api/v1/repos/${id}/log?limit=99999`).expect(200);
      expect(capped.body.count).toBe(5);
      const path = await http().get(`/api/v1/repos/${id}/log?path=../x`).expect(400);
      expect(path.body.code).toBe('INVALID_FILE_PATH');
      const flag = await http().get(`/api/v1/repos/${id}/log?first_parent=sometimes`).expect(400);
      expect(flag.body.code).toBe('INVALID_REQUEST');
    });
  });

  describe('GET …/show/:commit and …/commits/:commit', () => {
    let id: string;
    let root: string;
    let second: string;
    beforeAll(async () => {
      id = await repo();
      await add(id, 'keep.txt', 'keep\n');
      await add(id, 'old.txt', 'one\ntwo\nthree\nfour\nfive\n');
      await add(id, 'gone.txt', 'bye\n');
      root = (await commit(id, 'root')).body.hash as string;
      await http()
        .post(`/api/v1/repos/${id}/move`)
        .send({ from: 'old.txt', to: 'new.txt' })
        .expect(200);
      await http().delete(`/api/v1/repos/${id}/remove/gone.txt`).expect(200);
      await add(id, 'keep.txt', 'keep\nmore\n');
      await http()
        .post(`/api/v1/repos/${id}/add`)
        .send({ path: 'bin', content: 'AP8=', encoding: 'base64' })
        .expect(201);
      second = (await commit(id, 'second')).body.hash as string;
    });

    it('shows a root commit against the empty tree', async () => {
      const response = await http().get(`/api/v1/repos/${id}/show/${root}`).expect(200);
      expect(response.body.commit.hash).toBe(root);
      expect(response.body.tree).toBe(response.body.commit.tree);
      expect(response.body.files).toEqual([
        { path: 'gone.txt', status: 'added', size: 4 },
        { path: 'keep.txt', status: 'added', size: 5 },
        { path: 'old.txt', status: 'added', size: 24 },
      ]);
      expect(
        (response.body.diff.files as Array<{ path: string; additions: number }>).map((f) => [
          f.path,
          f.additions,
        ]),
      ).toEqual([
        ['gone.txt', 1],
        ['keep.txt', 1],
        ['old.txt', 5],
      ]);
      expect(response.body.diff.files[0].patch).toMatch(
        /^diff --git a\/gone.txt b\/gone.txt\nnew file mode 100644\n/,
      );
    });

    it('shows renames, deletions and content with include_content', async () => {
      const response = await http()
        .get(`/api/v1/repos/${id}/show/HEAD?include_content=true`)
        .expect(200);
      expect(response.body.commit.hash).toBe(second);
      expect(response.body.files).toEqual([
        { path: 'bin', status: 'added', size: 2, content: 'AP8=', encoding: 'base64' },
        { path: 'gone.txt', status: 'deleted', size: 0, content: '', encoding: 'utf-8' },
        {
          path: 'keep.txt',
          status: 'modified',
          size: 10,
          content: 'keep\nmore\n',
          encoding: 'utf-8',
        },
        {
          path: 'new.txt',
          status: 'renamed',
          size: 24,
          content: 'one\ntwo\nthree\nfour\nfive\n',
          encoding: 'utf-8',
        },
      ]);
      const renamed = (response.body.diff.files as Array<{ path: string }>).find(
        (f) => f.path === 'new.txt',
      );
      expect(renamed).toEqual({
        path: 'new.txt',
        old_path: 'old.txt',
        status: 'renamed',
        additions: 0,
        deletions: 0,
        patch:
          'diff --git a/old.txt b/new.txt\nsimilarity index 100%\nrename from old.txt\nrename to new.txt\n',
        binary: false,
      });
      expect(response.body.diff.files[0]).toMatchObject({ path: 'bin', binary: true });
    });

    it('is the same under …/commits/:commit on v1 and v2, also by short hash', async () => {
      const show = await http().get(`/api/v1/repos/${id}/show/${second}`).expect(200);
      const alias = await http()
        .get(`/api/v1/repos/${id}/commits/${second.slice(0, 8)}`)
        .expect(200);
      const v2 = await http().get(`/api/v2/repos/${id}/commits/main`).expect(200);
      expect(alias.body).toEqual(show.body);
      expect(v2.body).toEqual(show.body);
    });

    it('answers 404 COMMIT_NOT_FOUND and 400 INVALID_REF', async () => {
      const missing = await http().get(`/api/v1/repos/${id}/show/nosuch`).expect(404);
      expect(missing.body).toEqual({
        error: 'commit not found: nosuch',
        code: 'COMMIT_NOT_FOUND',
        details: { ref: 'nosuch' },
      });
      await http()
        .get(`/api/v1/repos/${id}/show/${'0'.repeat(40)}`)
        .expect(404);
      const bad = await http().get(`/api/v1/repos/${id}/show/HEAD~x`).expect(400);
      expect(bad.body.code).toBe('INVALID_REF');
      const flag = await http()
        .get(`/api/v1/repos/${id}/show/HEAD?include_content=yes`)
        .expect(400);
      expect(flag.body.code).toBe('INVALID_REQUEST');
    });
  });

  describe('GET …/status', () => {
    it('reports staged, removed, modified and untracked paths, sorted', async () => {
      const id = await repo();
      await add(id, 'b.txt', 'b');
      await add(id, 'del.txt', 'd');
      await commit(id, 'base');
      await add(id, 'a.txt', 'a');
      await http().delete(`/api/v1/repos/${id}/remove/del.txt`).expect(200);
      await http()
        .post(`/api/v1/repos/${id}/write`)
        .send({ path: 'b.txt', content: 'B' })
        .expect(200);
      await http()
        .post(`/api/v1/repos/${id}/write`)
        .send({ path: 'u.txt', content: 'u' })
        .expect(200);
      const status = await http().get(`/api/v1/repos/${id}/status`).expect(200);
      expect(status.body).toEqual({
        branch: 'main',
        staged: ['a.txt', 'del.txt'],
        removed: ['del.txt'],
        modified: ['b.txt'],
        untracked: ['u.txt'],
        clean: false,
        changes: ['a.txt', 'b.txt', 'del.txt', 'u.txt'],
      });
      const fresh = await repo();
      const clean = await http().get(`/api/v2/repos/${fresh}/status`).expect(200);
      expect(clean.body).toEqual({
        branch: 'main',
        staged: [],
        removed: [],
        modified: [],
        untracked: [],
        clean: true,
        changes: [],
      });
    });
  });

  describe('diffs', () => {
    let id: string;
    let first: string;
    beforeAll(async () => {
      id = await repo();
      await add(id, 'a.txt', 'line 1\nline 2\nline 3\n');
      await add(id, 'moved.txt', 'alpha\nbeta\ngamma\ndelta\n');
      first = (await commit(id, 'first')).body.hash as string;
      await add(id, 'a.txt', 'line 1\nline two\nline 3\n');
      await http()
        .post(`/api/v1/repos/${id}/move`)
        .send({ from: 'moved.txt', to: 'renamed.txt' })
        .expect(200);
      await add(id, 'b.txt', 'new\n');
      await commit(id, 'second');
    });

    it('diffs two revisions as unified text with renames', async () => {
      const response = await http().get(`/api/v1/repos/${id}/diff/${first}/HEAD`).expect(200);
      expect(response.body.from).toBe(first);
      expect(response.body.to).toBe('HEAD');
      expect(response.body.format).toBe('unified');
      expect(
        (response.body.files as Array<{ path: string; status: string }>).map((f) => [
          f.path,
          f.status,
        ]),
      ).toEqual([
        ['a.txt', 'modified'],
        ['b.txt', 'added'],
        ['renamed.txt', 'renamed'],
      ]);
      expect(response.body.diff).toBe(
        (response.body.files as Array<{ patch: string }>).map((f) => f.patch).join(''),
      );
      expect(response.body.files[0].patch).toContain(
        '@@ -1,3 +1,3 @@\n line 1\n-line 2\n+line two\n line 3\n',
      );
    });

    it('answers raw and name-only formats with files but no patches, and honours context', async () => {
      const raw = await http().get(`/api/v1/repos/${id}/diff?from=HEAD~1&format=raw`).expect(200);
      expect(raw.body.diff).toBe('M\ta.txt\nA\tb.txt\nR100\tmoved.txt\trenamed.txt\n');
      expect(raw.body.to).toBe('HEAD');
      expect((raw.body.files as Array<{ patch: string }>).every((f) => f.patch === '')).toBe(true);
      const names = await http()
        .get(`/api/v1/repos/${id}/diff/HEAD~1/HEAD?format=name-only`)
        .expect(200);
      expect(names.body.diff).toBe('a.txt\nb.txt\nrenamed.txt\n');
      const zero = await http().get(`/api/v1/repos/${id}/diff/HEAD~1/HEAD?context=0`).expect(200);
      expect(zero.body.files[0].patch).toContain('@@ -2 +2 @@ line 1\n-line 2\n+line two\n');
      const v2 = await http().get(`/api/v2/repos/${id}/diff?from=HEAD~1&format=raw`).expect(200);
      expect(v2.body).toEqual(raw.body);
    });

    it('refuses bad input: format, context, missing from, unknown and malformed refs', async () => {
      const format = await http()
        .get(`/api/v1/repos/${id}/diff/HEAD~1/HEAD?format=html`)
        .expect(400);
      expect(format.body.code).toBe('INVALID_REQUEST');
      expect(format.body.details.fields[0].field).toBe('format');
      const context = await http()
        .get(`/api/v1/repos/${id}/diff/HEAD~1/HEAD?context=1001`)
        .expect(400);
      expect(context.body.code).toBe('INVALID_REQUEST');
      const from = await http().get(`/api/v1/repos/${id}/diff`).expect(400);
      expect(from.body.details.fields[0].field).toBe('from');
      const unknown = await http().get(`/api/v1/repos/${id}/diff/nope/HEAD`).expect(404);
      expect(unknown.body.code).toBe('REF_NOT_FOUND');
      const malformed = await http().get(`/api/v1/repos/${id}/diff/HEAD~~x/HEAD`).expect(400);
      expect(malformed.body.code).toBe('INVALID_REF');
    });

    it('diffs the working state: staged against HEAD, unstaged against the index', async () => {
      await add(id, 'b.txt', 'new\nstaged\n');
      await http()
        .post(`/api/v1/repos/${id}/write`)
        .send({ path: 'a.txt', content: 'local\n' })
        .expect(200);
      await http()
        .post(`/api/v1/repos/${id}/write`)
        .send({ path: 'untracked', content: 'u' })
        .expect(200);
      const response = await http().get(`/api/v1/repos/${id}/diff/working`).expect(200);
      expect((response.body.staged as Array<{ path: string }>).map((f) => f.path)).toEqual([
        'b.txt',
      ]);
      expect((response.body.unstaged as Array<{ path: string }>).map((f) => f.path)).toEqual([
        'a.txt',
      ]);
      expect(response.body.total).toBe(2);
      expect(response.body.files).toEqual([...response.body.staged, ...response.body.unstaged]);
      expect(response.body.staged[0]).toMatchObject({
        status: 'modified',
        additions: 1,
        deletions: 0,
      });
      const fresh = await repo();
      await add(fresh, 'x', 'x\n');
      const unborn = await http().get(`/api/v2/repos/${fresh}/diff/working`).expect(200);
      expect(unborn.body.staged).toEqual([
        expect.objectContaining({ path: 'x', status: 'added', additions: 1 }),
      ]);
    });

    it('diffs one file between revisions (default HEAD~1 → HEAD)', async () => {
      const response = await http().get(`/api/v1/repos/${id}/diff/file/a.txt`).expect(200);
      expect(response.body).toEqual({
        path: 'a.txt',
        from: 'HEAD~1',
        to: 'HEAD',
        diff: expect.stringContaining('-line 2\n+line two\n'),
        additions: 1,
        deletions: 1,
      });
      const added = await http()
        .get(`/api/v1/repos/${id}/diff/file/b.txt?from=${first}`)
        .expect(200);
      expect(added.body).toMatchObject({ additions: 1, deletions: 0 });
      expect(added.body.diff).toContain('new file mode 100644');
      const same = await http()
        .get(`/api/v1/repos/${id}/diff/file/a.txt?from=HEAD&to=HEAD`)
        .expect(200);
      expect(same.body).toMatchObject({ diff: '', additions: 0, deletions: 0 });
    });

    it('answers 404 FILE_NOT_FOUND when neither side has the file, REF_NOT_FOUND past the root', async () => {
      const none = await http().get(`/api/v1/repos/${id}/diff/file/none.txt`).expect(404);
      expect(none.body).toEqual({
        error: 'file not found in one or both commits',
        code: 'FILE_NOT_FOUND',
        details: { path: 'none.txt' },
      });
      const rootOnly = await repo();
      await add(rootOnly, 'a', 'a');
      await commit(rootOnly, 'root');
      const past = await http().get(`/api/v1/repos/${rootOnly}/diff/file/a`).expect(404);
      expect(past.body.code).toBe('REF_NOT_FOUND');
      const unsafe = await http().get(`/api/v1/repos/${id}/diff/file/.git/config`).expect(400);
      expect(unsafe.body.code).toBe('INVALID_FILE_PATH');
    });
  });

  describe('GET …/blame/*path', () => {
    let id: string;
    let one: string;
    let two: string;
    beforeAll(async () => {
      id = await repo();
      await add(id, 'poem.txt', 'roses\nviolets\n');
      await add(id, 'empty.txt', '');
      await http()
        .post(`/api/v1/repos/${id}/add`)
        .send({ path: 'bin', content: 'AAEC', encoding: 'base64' })
        .expect(201);
      one = (await commit(id, 'one\n\nbody', { author: 'A', email: 'a@example.com' })).body
        .hash as string;
      await add(id, 'poem.txt', 'roses\nare red\nviolets\n');
      two = (await commit(id, 'two', { author: 'B', email: 'b@example.com' })).body.hash as string;
    });

    it('attributes every line to the commit that introduced it', async () => {
      const response = await http().get(`/api/v1/repos/${id}/blame/poem.txt`).expect(200);
      expect(response.body).toEqual({
        path: 'poem.txt',
        ref: 'HEAD',
        total: 3,
        lines: [
          {
            line_number: 1,
            content: 'roses',
            commit_hash: one,
            author: 'A',
            email: 'a@example.com',
            timestamp: expect.stringMatching(GIT_TIME),
            message: 'one',
          },
          expect.objectContaining({
            line_number: 2,
            content: 'are red',
            commit_hash: two,
            author: 'B',
            message: 'two',
          }),
          expect.objectContaining({ line_number: 3, content: 'violets', commit_hash: one }),
        ],
      });
    });

    it('honours ref, start and end; an empty file has no lines', async () => {
      const old = await http().get(`/api/v1/repos/${id}/blame/poem.txt?ref=HEAD~1`).expect(200);
      expect((old.body.lines as Array<{ content: string }>).map((l) => l.content)).toEqual([
        'roses',
        'violets',
      ]);
      const range = await http()
        .get(`/api/v1/repos/${id}/blame/poem.txt?start=2&end=3`)
        .expect(200);
      expect(
        (range.body.lines as Array<{ line_number: number }>).map((l) => l.line_number),
      ).toEqual([2, 3]);
      expect(range.body.total).toBe(2);
      const empty = await http().get(`/api/v2/repos/${id}/blame/empty.txt`).expect(200);
      expect(empty.body).toEqual({ path: 'empty.txt', ref: 'HEAD', lines: [], total: 0 });
    });

    it('refuses bad ranges and binary files with 400 INVALID_REQUEST', async () => {
      for (const query of ['start=0', 'start=3&end=2', 'start=9', 'start=x']) {
        const response = await http()
          .get(`/api/v1/repos/${id}/blame/poem.txt?${query}`)
          .expect(400);
        expect(response.body.code).toBe('INVALID_REQUEST');
      }
      const binary = await http().get(`/api/v1/repos/${id}/blame/bin`).expect(400);
      expect(binary.body).toMatchObject({
        code: 'INVALID_REQUEST',
        details: { reason: 'binary file' },
      });
    });

    it('answers FILE_NOT_FOUND, REF_NOT_FOUND and INVALID_PATH', async () => {
      const missing = await http().get(`/api/v1/repos/${id}/blame/nope.txt`).expect(404);
      expect(missing.body).toEqual({
        error: "file 'nope.txt' not found at ref 'HEAD'",
        code: 'FILE_NOT_FOUND',
        details: { path: 'nope.txt' },
      });
      const ref = await http().get(`/api/v1/repos/${id}/blame/poem.txt?ref=nope`).expect(404);
      expect(ref.body.code).toBe('REF_NOT_FOUND');
      const empty = await http().get(`/api/v1/repos/${id}/blame/`).expect(400);
      expect(empty.body.code).toBe('INVALID_PATH');
      const unborn = await repo();
      const noHead = await http().get(`/api/v1/repos/${unborn}/blame/a.txt`).expect(404);
      expect(noHead.body.code).toBe('REF_NOT_FOUND');
    });
  });
});
