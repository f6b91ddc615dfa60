/** Migration from GitHub and GitLab through local fakes of their REST APIs (api-contract.md §11.2). */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { RepositoryRegistry } from '../../src/modules/git-core/repository-registry';
import { JOB_COLLECTION } from '../../src/modules/importexport/jobs/jobs.service';
import { startTestApp } from '../support/test-app';
import { git, tempDir } from '../support/git-cli';
import { makeGitRepository, refLines, startGitHttpBackend, waitForJob } from './import-helpers';

const TOKEN = 'canary-token-7c1e9d';

describe('migrate (e2e)', () => {
  const dir = tempDir('govc-migrate-e2e-');
  let app: NestExpressApplication;
  let backend: { url: string; close: () => Promise<void> };
  let api: Server;
  let apiUrl: string;
  const seenAuth: string[] = [];

  function reply(res: ServerResponse, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(200, { 'Content-Type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  }

  function handle(req: IncomingMessage, res: ServerResponse): void {
    seenAuth.push(req.headers.authorization ?? '');
    if (req.headers.authorization !== `Bearer ${TOKEN}`) {
      res.writeHead(401).end('{"message":"Bad credentials"}');
      return;
    }
    const url = new URL(req.url ?? '/', apiUrl);
    const gh = (name: string, extra: object = {}) => ({
      name,
      full_name: `acme/${name}`,
      clone_url: `${backend.url}/source.git`,
      private: false,
      fork: false,
      ...extra,
    });
    if (url.pathname === '/gh/orgs/acme/repos') {
      if (url.searchParams.get('page') === '2') {
        reply(res, [gh('forked', { fork: true }), gh('taken')]);
      } else {
        reply(res, [gh('one'), gh('has.dot', { private: true })], {
          Link: `<${apiUrl}/gh/orgs/acme/repos?per_page=100&page=2>; rel="next", <${apiUrl}/gh/orgs/acme/repos?page=2>; rel="last"`,
        });
      }
      return;
    }
    if (url.pathname === '/gl/groups/team/projects') {
      const project = (path: string, visibility: string) => ({
        path,
        name: path,
        path_with_namespace: `team/${path}`,
        http_url_to_repo: `${backend.url}/source.git`,
        visibility,
      });
      if (url.searchParams.get('page') === '2') reply(res, [project('second', 'private')]);
      else reply(res, [project('first', 'public')], { 'X-Next-Page': '2' });
      return;
    }
    res.writeHead(404).end('[]');
  }

  beforeAll(async () => {
    const work = join(dir.path, 'work');
    makeGitRepository(work);
    git(['clone', '-q', '--bare', work, join(dir.path, 'source.git')]);
    backend = await startGitHttpBackend(dir.path);
    api = createServer(handle);
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
    apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
    app = await startTestApp({
      GOVC_IMPORT_ALLOW_HTTP: 'true',
      GOVC_HOOKS_ALLOW_PRIVATE_TARGETS: 'true',
    });
    await request(app.getHttpServer()).post('/api/v1/repos').send({ id: 'gh-taken' }).expect(201);
  });
  afterAll(async () => {
    await app.close();
    await backend.close();
    await new Promise<void>((resolve) => api.close(() => resolve()));
    dir.cleanup();
  });
  const http = () => request(app.getHttpServer());

  it('migrates a GitHub organisation across pages, mapping names and skipping forks and existing ids', async () => {
    const res = await http()
      .post('/api/v1/migrate')
      .send({
        source: 'github',
        org: 'acme',
        token: TOKEN,
        base_url: `${apiUrl}/gh`,
        prefix: 'gh-',
      })
      .expect(202);
    expect(res.headers.location).toBe(`/api/v1/jobs/${res.body.job_id}`);
    const job = await waitForJob(app, res.body.job_id as string);
    expect(job.status).toBe('completed');
    expect(job.result).toEqual({
      repositories: [
        { source: 'acme/one', repo_id: 'gh-one', status: 'imported' },
        { source: 'acme/has.dot', repo_id: 'gh-has-dot', status: 'imported' },
        {
          source: 'acme/taken',
          repo_id: 'gh-taken',
          status: 'skipped',
          error: { error: 'repository exists', code: 'REPO_EXISTS' },
        },
      ],
    });
    const { repository } = await app.get(RepositoryRegistry).open('gh-has-dot');
    const refs = repository.refs
      .list('refs/')
      .map((ref) => (ref.kind === 'direct' ? `${ref.oid} ${ref.name}\n` : ''))
      .join('');
    expect(refs).toBe(refLines(join(dir.path, 'source.git')));
    const stored = JSON.stringify(app.get(RepositoryRegistry).metadataStore().list(JOB_COLLECTION));
    expect(stored).not.toContain(TOKEN);
    expect(JSON.stringify(job)).not.toContain(TOKEN);
    expect(seenAuth.every((auth) => auth === `Bearer ${TOKEN}`)).toBe(true);
  });

  it('migrates a GitLab group following X-Next-Page, without private projects when asked', async () => {
    const res = await http()
      .post('/api/v1/migrate')
      .send({
        source: 'gitlab',
        group: 'team',
        token: TOKEN,
        base_url: `${apiUrl}/gl`,
        include_private: false,
      })
      .expect(202);
    const job = await waitForJob(app, res.body.job_id as string);
    expect(job.result).toEqual({
      repositories: [{ source: 'team/first', repo_id: 'first', status: 'imported' }],
    });
    await http().get('/api/v1/repos/second').expect(404);
  });

  it('fails the job with IMPORT_SOURCE_UNREACHABLE on a refused token, and refuses bad requests', async () => {
    const res = await http()
      .post('/api/v1/migrate')
      .send({ source: 'github', user: 'someone', token: 'wrong', base_url: `${apiUrl}/gh` })
      .expect(202);
    const job = await waitForJob(app, res.body.job_id as string);
    expect(job.status).toBe('failed');
    expect(job.error?.code).toBe('IMPORT_SOURCE_UNREACHABLE');
    expect(JSON.stringify(job)).not.toContain('wrong');
    const bitbucket = await http()
      .post('/api/v1/migrate')
      .send({ source: 'bitbucket', org: 'x' })
      .expect(400);
    expect(bitbucket.body.code).toBe('UNSUPPORTED_SOURCE');
    const noOwner = await http().post('/api/v1/migrate').send({ source: 'gitlab' }).expect(400);
    expect(noOwner.body.code).toBe('INVALID_REQUEST');
  });
});
