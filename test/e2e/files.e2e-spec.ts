/**
 * Files of the working state and of commits (api-contract.md §3.2 add, §3.3, §4, §0.4, §0.6):
 * add, write, read, tree, remove, move on /api/v1 and their /api/v2 forms.
 */
import { createHash } from 'node:crypto';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { MAX_QUEUED_WRITES } from '../../src/modules/git-core/repository-write-queue';
import { RepositoryRegistry } from '../../src/modules/git-core/repository-registry';
import { startTestApp } from '../support/test-app';

const HASH = /^[0-9a-f]{40}$/;

function blobId(content: string): string {
  const body = Buffer.from(content, 'utf8');
  return createHash('sha1')
    .update(Buffer.concat([Buffer.from(`blob ${body.length}\0`), body]))
    .digest('hex');
}

describe('files (e2e)', () => {
  let app: NestExpressApplication;
  let seq = 0;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  const http = () => request(app.getHttpServer());

  async function repo(): Promise<string> {
    const id = `files${++seq}`;
    await http().post('/api/v1/repos').send({ id }).expect(201);
    return id;
  }

  async function add(id: string, path: string, content: string): Promise<void> {
    await http().post(`/api/v1/repos/${id}/add`).send({ path, content }).expect(201);
  }

  async function commit(id: string, message = 'commit'): Promise<string> {
    const response = await http().post(`/api/v1/repos/${id}/commit`).send({ message }).expect(201);
    return response.body.hash as string;
  }

  describe('POST …/add', () => {
    it('writes and stages nested files with 201 added', async () => {
      const id = await repo();
      const response = await http()
        .post(`/api/v1/repos/${id}/add`)
        .send({ path: 'src/lib/a.ts', content: 'export {};\n' })
        .expect(201);
      expect(response.body).toEqual({ status: 'added', message: "file 'src/lib/a.ts' added" });
      const status = await http().get(`/api/v1/repos/${id}/status`).expect(200);
      expect(status.body.staged).toEqual(['src/lib/a.ts']);
    });

    it('accepts empty content, base64 content and modes', async () => {
      const id = await repo();
      await add(id, 'empty.txt', '');
      await http()
        .post(`/api/v1/repos/${id}/add`)
        .send({
          path: 'bin.dat',
          content: Buffer.from([0, 1, 2, 255]).toString('base64'),
          encoding: 'base64',
        })
        .expect(201);
      await http()
        .post(`/api/v1/repos/${id}/add`)
        .send({ path: 'run.sh', content: '#!/bin/sh\n', mode: '100755' })
        .expect(201);
      await http()
        .post(`/api/v1/repos/${id}/add`)
        .send({ path: 'link', content: 'run.sh', mode: '120000' })
        .expect(201);
      const tree = await http().get(`/api/v1/repos/${id}/tree`).expect(200);
      expect(
        (
          tree.body.entries as Array<{ path: string; type: string; mode: string; size: number }>
        ).map((e) => [e.path, e.type, e.mode, e.size]),
      ).toEqual([
        ['bin.dat', 'file', '100644', 4],
        ['empty.txt', 'file', '100644', 0],
        ['link', 'symlink', '120000', 6],
        ['run.sh', 'file', '100755', 10],
      ]);
    });

    it('refuses bad base64 with 400 INVALID_FILE_CONTENT naming the content field', async () => {
      const id = await repo();
      for (const content of ['not base64!', 'QUJD=', 'QQ', 'QU JD']) {
        const response = await http()
          .post(`/api/v1/repos/${id}/add`)
          .send({ path: 'a.bin', content, encoding: 'base64' })
          .expect(400);
        expect(response.body).toEqual({
          error: 'invalid request: content: content is not valid base64',
          code: 'INVALID_FILE_CONTENT',
          details: { fields: [{ field: 'content', message: 'content is not valid base64' }] },
        });
      }
    });

    it('refuses unknown encodings and modes, and missing fields, with 400 INVALID_REQUEST', async () => {
      const id = await repo();
      const response = await http()
        .post(`/api/v1/repos/${id}/add`)
        .send({ content: 5, encoding: 'latin1', mode: '040000' })
        .expect(400);
      expect(response.body.code).toBe('INVALID_REQUEST');
      expect(
        (response.body.details.fields as Array<{ field: string }>).map((f) => f.field),
      ).toEqual(['path', 'content', 'encoding', 'mode']);
    });

    it.each([
      ['../escape', "'..' component"],
      ['a/../b', "'..' component"],
      ['./a', "'.' component"],
      ['.git/config', "'.git' component"],
      ['sub/.GIT/x', "'.git' component"],
      ['.git./x', "'.git' component"],
      ['git~1/x', "'.git' component"],
      ['/abs', 'absolute path'],
      ['C:/x', 'absolute path (drive letter)'],
      ['a//b', 'empty path component'],
      ['dir/', 'empty path component'],
      ['back\\slash', 'backslash in path'],
      ['nul\u0000byte', 'control character in path'],
      ['tab\there', 'control character in path'],
    ])('refuses path %j with 400 INVALID_FILE_PATH (%s)', async (path, reason) => {
      const id = await repo();
      const response = await http()
        .post(`/api/v1/repos/${id}/add`)
        .send({ path, content: 'x' })
        .expect(400);
      expect(response.body).toEqual({
        error: `invalid file path '${path}': ${reason}`,
        code: 'INVALID_FILE_PATH',
        details: { path, reason },
      });
    });

    it('refuses an empty path with 400 INVALID_PATH', async () => {
      const id = await repo();
      const response = await http()
        .post(`/api/v1/repos/${id}/add`)
        .send({ path: '', content: 'x' })
        .expect(400);
      expect(response.body).toEqual({ error: 'file path cannot be empty', code: 'INVALID_PATH' });
    });

    it('refuses a file/directory clash with 400 INVALID_FILE_CONTENT', async () => {
      const id = await repo();
      await add(id, 'a', 'file');
      const under = await http()
        .post(`/api/v1/repos/${id}/add`)
        .send({ path: 'a/b', content: 'x' })
        .expect(400);
      expect(under.body.code).toBe('INVALID_FILE_CONTENT');
      await add(id, 'dir/x', 'x');
      const over = await http()
        .post(`/api/v1/repos/${id}/add`)
        .send({ path: 'dir', content: 'x' })
        .expect(400);
      expect(over.body.code).toBe('INVALID_FILE_CONTENT');
    });

    it('answers 404 REPO_NOT_FOUND for an unknown repository', async () => {
      const response = await http()
        .post('/api/v1/repos/missing/add')
        .send({ path: 'a', content: 'a' })
        .expect(404);
      expect(response.body).toEqual({
        error: 'repository missing not found',
        code: 'REPO_NOT_FOUND',
        details: { repo: 'missing' },
      });
    });

    it('refuses a body over server.max_request_size with 413 REQUEST_TOO_LARGE', async () => {
      const small = await startTestApp({ GOVC_SERVER_MAX_REQUEST_SIZE: '1KiB' });
      try {
        await request(small.getHttpServer()).post('/api/v1/repos').send({ id: 'big' }).expect(201);
        const body = JSON.stringify({ path: 'big.txt', content: 'x'.repeat(2000) });
        const response = await request(small.getHttpServer())
          .post('/api/v1/repos/big/add')
          .set('Content-Type', 'application/json')
          .send(body)
          .expect(413);
        expect(response.body).toEqual({
          error: 'request body is larger than 1024 bytes',
          code: 'REQUEST_TOO_LARGE',
          details: { max_size: 1024, actual_size: Buffer.byteLength(body) },
        });
      } finally {
        await small.close();
      }
    });

    it('answers 503 REPO_BUSY with Retry-After when the write queue is full', async () => {
      const id = await repo();
      const registry = app.get(RepositoryRegistry);
      const { repository } = await registry.open(id);
      const store = repository.odb.store;
      const originalFlush = store.flush.bind(store);
      let release!: () => void;
      const stuck = new Promise<void>((resolve) => (release = resolve));
      store.flush = () => stuck;
      try {
        const queued = Array.from({ length: MAX_QUEUED_WRITES }, (_, i) =>
          registry.write(id, ({ repository: r }) => r.add(`f${i}`, 'x')),
        );
        const response = await http()
          .post(`/api/v1/repos/${id}/add`)
          .send({ path: 'one-more', content: 'x' })
          .expect(503);
        expect(response.body).toMatchObject({ code: 'REPO_BUSY', details: { repo: id } });
        expect(response.headers['retry-after']).toBe('1');
        release();
        await Promise.all(queued);
      } finally {
        store.flush = originalFlush;
      }
      await http()
        .post(`/api/v1/repos/${id}/add`)
        .send({ path: 'after', content: 'x' })
        .expect(201);
    });
  });

  describe('POST …/write', () => {
    it('writes the working tree only: untracked, then modified', async () => {
      const id = await repo();
      const response = await http()
        .post(`/api/v1/repos/${id}/write`)
        .send({ path: 'notes.txt', content: 'draft' })
        .expect(200);
      expect(response.body).toEqual({
        status: 'written',
        message: 'file notes.txt written to working directory',
      });
      let status = await http().get(`/api/v1/repos/${id}/status`).expect(200);
      expect(status.body).toEqual({
        branch: 'main',
        staged: [],
        removed: [],
        modified: [],
        untracked: ['notes.txt'],
        clean: false,
        changes: ['notes.txt'],
      });
      await add(id, 'notes.txt', 'v1');
      await commit(id);
      await http()
        .post(`/api/v1/repos/${id}/write`)
        .send({ path: 'notes.txt', content: 'v2' })
        .expect(200);
      status = await http().get(`/api/v1/repos/${id}/status`).expect(200);
      expect(status.body).toMatchObject({ staged: [], modified: ['notes.txt'], untracked: [] });
    });
  });

  describe('GET …/read/*path', () => {
    let id: string;
    let first: string;
    beforeAll(async () => {
      id = await repo();
      await add(id, 'docs/guide.md', '# Guide\n');
      await http()
        .post(`/api/v1/repos/${id}/add`)
        .send({
          path: 'bin/blob',
          content: Buffer.from([0, 159, 146, 150]).toString('base64'),
          encoding: 'base64',
        })
        .expect(201);
      first = await commit(id, 'first');
      await http()
        .post(`/api/v1/repos/${id}/write`)
        .send({ path: 'docs/guide.md', content: '# Guide v2\n' })
        .expect(200);
    });

    it('reads the working tree by default', async () => {
      const response = await http().get(`/api/v1/repos/${id}/read/docs/guide.md`).expect(200);
      expect(response.body).toEqual({
        path: 'docs/guide.md',
        content: '# Guide v2\n',
        encoding: 'utf-8',
        size: 11,
        mode: '100644',
        hash: blobId('# Guide v2\n'),
      });
    });

    it('reads a revision with ?ref= (hash, short hash, branch, full ref)', async () => {
      for (const ref of ['HEAD', 'main', first, first.slice(0, 7), 'refs/heads/main']) {
        const response = await http()
          .get(`/api/v1/repos/${id}/read/docs/guide.md`)
          .query({ ref })
          .expect(200);
        expect(response.body.content).toBe('# Guide\n');
      }
    });

    it('treats a%2Fb and a/b as the same file, and drops one leading slash', async () => {
      const encoded = await http().get(`/api/v1/repos/${id}/read/docs%2Fguide.md`).expect(200);
      const leading = await http().get(`/api/v1/repos/${id}/read//docs/guide.md`).expect(200);
      expect(encoded.body.path).toBe('docs/guide.md');
      expect(leading.body.path).toBe('docs/guide.md');
    });

    it('answers non-UTF-8 content as base64 with its byte size', async () => {
      const response = await http().get(`/api/v1/repos/${id}/read/bin/blob`).expect(200);
      expect(response.body).toMatchObject({ encoding: 'base64', content: 'AJ+Slg==', size: 4 });
    });

    it.each([
      ['..%2Fx', '../x'],
      ['%2e%2e/x', '../x'],
      ['a/%2E%2E/b', 'a/../b'],
      ['.git/HEAD', '.git/HEAD'],
      ['%2Egit/config', '.git/config'],
      ['x%00y', 'x\u0000y'],
      ['a%5Cb', 'a\\b'],
      ['%2F%2Fabs', '//abs'],
    ])('refuses %s with 400 INVALID_FILE_PATH', async (url, path) => {
      const response = await http().get(`/api/v1/repos/${id}/read/${url}`).expect(400);
      expect(response.body.code).toBe('INVALID_FILE_PATH');
      expect(response.body.details.path).toBe(path.startsWith('//') ? path.slice(1) : path);
    });

    it('answers 400 INVALID_PATH for an empty path and INVALID_REQUEST for a bad escape', async () => {
      const empty = await http().get(`/api/v1/repos/${id}/read/`).expect(400);
      expect(empty.body.code).toBe('INVALID_PATH');
      const escape = await http().get(`/api/v1/repos/${id}/read/%E0%A4%A`).expect(400);
      expect(escape.body.code).toBe('INVALID_REQUEST');
    });

    it('answers 400 IS_A_DIRECTORY for a directory', async () => {
      const response = await http().get(`/api/v1/repos/${id}/read/docs`).expect(400);
      expect(response.body).toEqual({
        error: "'docs' is a directory",
        code: 'IS_A_DIRECTORY',
        details: { path: 'docs' },
      });
    });

    it('answers 404 FILE_NOT_FOUND for a missing file, also at a ref', async () => {
      const response = await http().get(`/api/v1/repos/${id}/read/nope.txt`).expect(404);
      expect(response.body).toEqual({
        error: "file 'nope.txt' not found",
        code: 'FILE_NOT_FOUND',
        details: { path: 'nope.txt' },
      });
      await http().get(`/api/v1/repos/${id}/read/nope.txt?ref=HEAD`).expect(404);
    });

    it('answers 404 REF_NOT_FOUND and 400 INVALID_REF for bad refs', async () => {
      const missing = await http()
        .get(`/api/v1/repos/${id}/read/docs/guide.md?ref=nobranch`)
        .expect(404);
      expect(missing.body).toMatchObject({
        code: 'REF_NOT_FOUND',
        error: "ref 'nobranch' not found",
      });
      const past = await http()
        .get(`/api/v1/repos/${id}/read/docs/guide.md?ref=HEAD~5`)
        .expect(404);
      expect(past.body.code).toBe('REF_NOT_FOUND');
      const bad = await http().get(`/api/v1/repos/${id}/read/docs/guide.md?ref=HEAD~x`).expect(400);
      expect(bad.body.code).toBe('INVALID_REF');
      const twice = await http()
        .get(`/api/v1/repos/${id}/read/docs/guide.md?ref=a&ref=b`)
        .expect(400);
      expect(twice.body.code).toBe('INVALID_REQUEST');
    });

    it('answers 400 AMBIGUOUS_REF for a short hash matching several objects', async () => {
      const ambiguous = await repo();
      // Two blob contents whose ids share their first 4 hex digits.
      const seen = new Map<string, string>();
      let pair: [string, string] | undefined;
      for (let i = 0; pair === undefined; i++) {
        const content = `content ${i}\n`;
        const prefix = blobId(content).slice(0, 4);
        const other = seen.get(prefix);
        if (other !== undefined) pair = [other, content];
        else seen.set(prefix, content);
      }
      await add(ambiguous, 'one.txt', pair[0]);
      await add(ambiguous, 'two.txt', pair[1]);
      await commit(ambiguous);
      const prefix = blobId(pair[0]).slice(0, 4);
      const response = await http()
        .get(`/api/v1/repos/${ambiguous}/read/one.txt?ref=${prefix}`)
        .expect(400);
      expect(response.body.code).toBe('AMBIGUOUS_REF');
      expect(response.body.details.ref).toBe(prefix);
      expect([...response.body.details.candidates].sort()).toEqual(
        [blobId(pair[0]), blobId(pair[1])].sort(),
      );
    });
  });

  describe('GET …/tree', () => {
    let id: string;
    beforeAll(async () => {
      id = await repo();
      await add(id, 'README.md', 'readme\n');
      await add(id, 'src/index.ts', 'index\n');
      await add(id, 'src/util/a.ts', 'a\n');
      await commit(id, 'tree');
      await http()
        .post(`/api/v1/repos/${id}/write`)
        .send({ path: 'new.txt', content: 'n' })
        .expect(200);
    });

    it('lists the root of the working tree with path "." and files = entries', async () => {
      const response = await http().get(`/api/v1/repos/${id}/tree`).expect(200);
      expect(response.body.path).toBe('.');
      expect(response.body.total).toBe(3);
      expect(response.body.files).toEqual(response.body.entries);
      expect(response.body.entries).toEqual([
        {
          name: 'README.md',
          path: 'README.md',
          type: 'file',
          size: 7,
          mode: '100644',
          hash: blobId('readme\n'),
        },
        {
          name: 'new.txt',
          path: 'new.txt',
          type: 'file',
          size: 1,
          mode: '100644',
          hash: blobId('n'),
        },
        {
          name: 'src',
          path: 'src',
          type: 'directory',
          size: 0,
          mode: '040000',
          hash: expect.stringMatching(HASH),
        },
      ]);
      const slash = await http().get(`/api/v1/repos/${id}/tree/`).expect(200);
      expect(slash.body).toEqual(response.body);
    });

    it('lists a directory, recursively, at a ref, and a single file', async () => {
      const src = await http().get(`/api/v1/repos/${id}/tree/src`).expect(200);
      expect((src.body.entries as Array<{ path: string }>).map((e) => e.path)).toEqual([
        'src/index.ts',
        'src/util',
      ]);
      const all = await http().get(`/api/v1/repos/${id}/tree?recursive=true&ref=HEAD`).expect(200);
      expect((all.body.entries as Array<{ path: string }>).map((e) => e.path)).toEqual([
        'README.md',
        'src/index.ts',
        'src/util/a.ts',
      ]);
      const one = await http().get(`/api/v1/repos/${id}/tree/src/util/a.ts`).expect(200);
      expect(one.body).toMatchObject({ path: 'src/util/a.ts', total: 1 });
    });

    it('answers 404 FILE_NOT_FOUND for a missing path and REF_NOT_FOUND for a bad ref', async () => {
      const missing = await http().get(`/api/v1/repos/${id}/tree/nope`).expect(404);
      expect(missing.body).toEqual({
        error: "path 'nope' not found",
        code: 'FILE_NOT_FOUND',
        details: { path: 'nope' },
      });
      await http().get(`/api/v1/repos/${id}/tree/new.txt?ref=HEAD`).expect(404);
      const ref = await http().get(`/api/v1/repos/${id}/tree?ref=nothere`).expect(404);
      expect(ref.body.code).toBe('REF_NOT_FOUND');
      const bad = await http().get(`/api/v1/repos/${id}/tree?recursive=maybe`).expect(400);
      expect(bad.body.code).toBe('INVALID_REQUEST');
      const unsafe = await http().get(`/api/v1/repos/${id}/tree/%2e%2e`).expect(400);
      expect(unsafe.body.code).toBe('INVALID_FILE_PATH');
    });

    it('on v2 says "tree" for directories, omits files, and honours ?path=', async () => {
      const root = await http().get(`/api/v2/repos/${id}/tree`).expect(200);
      expect(Object.keys(root.body).sort()).toEqual(['entries', 'path', 'total']);
      expect(root.body.entries[2]).toMatchObject({ path: 'src', type: 'tree', mode: '040000' });
      const byQuery = await http().get(`/api/v2/repos/${id}/tree?path=/src`).expect(200);
      const byPath = await http().get(`/api/v2/repos/${id}/tree/src`).expect(200);
      expect(byQuery.body).toEqual(byPath.body);
      expect(byQuery.body.path).toBe('src');
      const fresh = await repo();
      const empty = await http().get(`/api/v2/repos/${fresh}/tree`).expect(200);
      expect(empty.body).toEqual({ path: '.', entries: [], total: 0 });
    });
  });

  describe('DELETE …/remove/*path', () => {
    it('removes a file or a whole directory from working tree and index', async () => {
      const id = await repo();
      await add(id, 'keep.txt', 'k');
      await add(id, 'dir/a.txt', 'a');
      await add(id, 'dir/sub/b.txt', 'b');
      await commit(id);
      const response = await http().delete(`/api/v1/repos/${id}/remove/dir`).expect(200);
      expect(response.body).toEqual({
        status: 'removed',
        message: "file 'dir' removed from staging",
        data: { path: 'dir', removed: ['dir/a.txt', 'dir/sub/b.txt'] },
      });
      const status = await http().get(`/api/v1/repos/${id}/status`).expect(200);
      expect(status.body).toMatchObject({
        staged: ['dir/a.txt', 'dir/sub/b.txt'],
        removed: ['dir/a.txt', 'dir/sub/b.txt'],
      });
    });

    it('answers 404 FILE_NOT_FOUND for a missing path and 400 for an unsafe one', async () => {
      const id = await repo();
      const missing = await http().delete(`/api/v1/repos/${id}/remove/ghost.txt`).expect(404);
      expect(missing.body.code).toBe('FILE_NOT_FOUND');
      const unsafe = await http().delete(`/api/v1/repos/${id}/remove/a/%2e%2e/b`).expect(400);
      expect(unsafe.body.code).toBe('INVALID_FILE_PATH');
      const empty = await http().delete(`/api/v1/repos/${id}/remove/`).expect(400);
      expect(empty.body.code).toBe('INVALID_PATH');
    });
  });

  describe('POST …/move', () => {
    it('moves a file and a directory, staging both sides', async () => {
      const id = await repo();
      await add(id, 'a.txt', 'a');
      await add(id, 'dir/x.txt', 'x');
      await commit(id);
      const response = await http()
        .post(`/api/v1/repos/${id}/move`)
        .send({ from: 'a.txt', to: 'docs/a.txt' })
        .expect(200);
      expect(response.body).toEqual({
        status: 'moved',
        message: "file moved from 'a.txt' to 'docs/a.txt'",
        data: { from: 'a.txt', to: 'docs/a.txt' },
      });
      await http().post(`/api/v1/repos/${id}/move`).send({ from: 'dir', to: 'lib' }).expect(200);
      const status = await http().get(`/api/v1/repos/${id}/status`).expect(200);
      expect(status.body.staged).toEqual(['a.txt', 'dir/x.txt', 'docs/a.txt', 'lib/x.txt']);
    });

    it('answers 404 for a missing source and 400 for a target inside the source', async () => {
      const id = await repo();
      await add(id, 'dir/x.txt', 'x');
      const missing = await http()
        .post(`/api/v1/repos/${id}/move`)
        .send({ from: 'nope', to: 'b' })
        .expect(404);
      expect(missing.body).toEqual({
        error: "source file 'nope' not found",
        code: 'FILE_NOT_FOUND',
        details: { path: 'nope' },
      });
      const inside = await http()
        .post(`/api/v1/repos/${id}/move`)
        .send({ from: 'dir', to: 'dir/sub' })
        .expect(400);
      expect(inside.body.code).toBe('INVALID_FILE_PATH');
      const missingField = await http()
        .post(`/api/v1/repos/${id}/move`)
        .send({ from: 'dir' })
        .expect(400);
      expect(missingField.body.details.fields).toEqual([
        { field: 'to', message: 'to must be a string' },
      ]);
    });
  });

  describe('/api/v2 files', () => {
    it('adds (201), writes (201), reads and removes with v2 envelopes', async () => {
      const id = await repo();
      const added = await http()
        .post(`/api/v2/repos/${id}/files`)
        .send({ path: 'a.txt', content: 'one' })
        .expect(201);
      expect(added.body).toEqual({ status: '', message: "file 'a.txt' added" });
      const written = await http()
        .put(`/api/v2/repos/${id}/files`)
        .send({ path: 'b.txt', content: 'two' })
        .expect(201);
      expect(written.body).toEqual({ status: '', message: "file 'b.txt' written" });
      const read = await http().get(`/api/v2/repos/${id}/files?path=/a.txt`).expect(200);
      expect(read.body).toMatchObject({
        path: 'a.txt',
        content: 'one',
        encoding: 'utf-8',
        size: 3,
      });
      const removed = await http().delete(`/api/v2/repos/${id}/files?path=a.txt`).expect(200);
      expect(removed.body).toEqual({ status: '', message: "file 'a.txt' removed" });
      await add(id, 'c/d.txt', 'd');
      const byPath = await http().delete(`/api/v2/repos/${id}/files/c%2Fd.txt`).expect(200);
      expect(byPath.body).toEqual({ status: '', message: "file 'c/d.txt' removed" });
    });

    it('answers 400 MISSING_PATH without ?path= and v2 not-found messages', async () => {
      const id = await repo();
      for (const url of [`/api/v2/repos/${id}/files`, `/api/v2/repos/${id}/files?path=`]) {
        const read = await http().get(url).expect(400);
        expect(read.body).toEqual({ error: 'path parameter is required', code: 'MISSING_PATH' });
        const del = await http().delete(url).expect(400);
        expect(del.body.code).toBe('MISSING_PATH');
      }
      const missing = await http().get(`/api/v2/repos/${id}/files?path=x.txt`).expect(404);
      expect(missing.body).toEqual({
        error: 'file not found: x.txt',
        code: 'FILE_NOT_FOUND',
        details: { path: 'x.txt' },
      });
      const move = await http()
        .post(`/api/v2/repos/${id}/files/move`)
        .send({ from: 'x.txt', to: 'y.txt' })
        .expect(404);
      expect(move.body.error).toBe('source file not found: x.txt');
    });

    it('moves with a v2 envelope, staged', async () => {
      const id = await repo();
      await add(id, 'a.txt', 'a');
      const response = await http()
        .post(`/api/v2/repos/${id}/files/move`)
        .send({ from: 'a.txt', to: 'b.txt' })
        .expect(200);
      expect(response.body).toEqual({ status: '', message: "moved 'a.txt' to 'b.txt'" });
      const status = await http().get(`/api/v2/repos/${id}/status`).expect(200);
      expect(status.body.staged).toEqual(['b.txt']);
    });
  });
});
