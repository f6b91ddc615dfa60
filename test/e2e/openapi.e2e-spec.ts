/**
 * The served OpenAPI document (/docs-json) is a valid OpenAPI 3 document, checked against the
 * official schema by a maintained validator, with unique, stable, camelCase operation ids, and
 * every repository route documents its errors with the shared ErrorResponse schema.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { startTestApp } from '../support/test-app';

interface Operation {
  operationId: string;
  summary?: string;
  tags?: string[];
  responses: Record<string, { description: string; content?: Record<string, { schema: unknown }> }>;
}

type Paths = Record<string, Record<string, Operation>>;

const VALIDATOR = path.resolve(__dirname, '..', 'support', 'validate-openapi.mjs');
const ERROR_SCHEMA = { $ref: '#/components/schemas/ErrorResponseDto' };

/** The REST operations of the repository, file, history, diff and blame areas. */
const REST_OPERATION_IDS = [
  'reposCreate',
  'reposList',
  'reposGet',
  'reposDelete',
  'commitsCreate',
  'commitsList',
  'commitsShow',
  'commitsGet',
  'statusGet',
  'filesAdd',
  'filesWrite',
  'filesRead',
  'filesTree',
  'filesTreePath',
  'filesRemove',
  'filesMove',
  'diffWorking',
  'diffFile',
  'diffQuery',
  'diffRefs',
  'blameGet',
  'v2ReposCreate',
  'v2ReposList',
  'v2ReposGet',
  'v2ReposDelete',
  'v2CommitsCreate',
  'v2CommitsList',
  'v2CommitsGet',
  'v2StatusGet',
  'v2FilesAdd',
  'v2FilesRead',
  'v2FilesWrite',
  'v2FilesRemove',
  'v2FilesRemovePath',
  'v2FilesMove',
  'v2FilesTree',
  'v2FilesTreePath',
  'v2DiffWorking',
  'v2DiffFile',
  'v2DiffQuery',
  'v2DiffRefs',
  'v2BlameGet',
];

function operations(paths: Paths): Array<{ path: string; method: string; operation: Operation }> {
  return Object.entries(paths).flatMap(([route, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ path: route, method, operation })),
  );
}

describe('OpenAPI document (e2e)', () => {
  let app: NestExpressApplication;
  let document: { openapi: string; paths: Paths };
  beforeAll(async () => {
    app = await startTestApp();
    document = (await request(app.getHttpServer()).get('/docs-json').expect(200))
      .body as typeof document;
  });
  afterAll(() => app.close());

  function validate(candidate: unknown): { version: string; valid: boolean; errors?: unknown } {
    const dir = mkdtempSync(path.join(tmpdir(), 'govc-openapi-'));
    try {
      const file = path.join(dir, 'openapi.json');
      writeFileSync(file, JSON.stringify(candidate));
      return JSON.parse(
        execFileSync(process.execPath, [VALIDATOR, file], { encoding: 'utf8' }),
      ) as {
        version: string;
        valid: boolean;
      };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('validates against the OpenAPI 3 schema', () => {
    expect(validate(document)).toEqual({ version: expect.stringMatching(/^3\./), valid: true });
  });

  it('is checked by a validator that does refuse a broken document', () => {
    const broken = { ...document, paths: { '/x': { get: { responses: { 200: 'nope' } } } } };
    expect(validate(broken).valid).toBe(false);
  });

  it('has unique camelCase operation ids', () => {
    const ids = operations(document.paths).map(({ operation }) => operation.operationId);
    const duplicates = ids.filter((id, index) => ids.indexOf(id) !== index);
    expect(duplicates).toEqual([]);
    for (const id of ids) expect(id).toMatch(/^[a-z][A-Za-z0-9]*$/);
  });

  it('names every repository, file, history, diff and blame operation by tag and action', () => {
    const ids = new Set(operations(document.paths).map(({ operation }) => operation.operationId));
    expect(REST_OPERATION_IDS.filter((id) => !ids.has(id))).toEqual([]);
  });

  it('gives each of those operations a summary, a tag and ErrorResponse errors with their codes', () => {
    const ours = operations(document.paths).filter(({ operation }) =>
      REST_OPERATION_IDS.includes(operation.operationId),
    );
    expect(ours).toHaveLength(REST_OPERATION_IDS.length);
    for (const { path: route, method, operation } of ours) {
      const where = `${method.toUpperCase()} ${route}`;
      expect({ where, summary: typeof operation.summary }).toEqual({ where, summary: 'string' });
      expect({ where, tags: operation.tags?.length }).toEqual({ where, tags: 1 });
      const errors = Object.entries(operation.responses).filter(([status]) =>
        /^[45]\d\d$/.test(status),
      );
      expect({ where, documented: errors.length > 0 }).toEqual({ where, documented: true });
      for (const [status, response] of errors) {
        expect({ where, status, schema: response.content?.['application/json']?.schema }).toEqual({
          where,
          status,
          schema: ERROR_SCHEMA,
        });
        expect(response.description).toMatch(/`code`: [A-Z_]+(, [A-Z_]+)*$/);
      }
      expect(operation.responses.default?.content?.['application/json']?.schema).toEqual(
        ERROR_SCHEMA,
      );
    }
  });

  it('documents the repository-scoped 404 on every route under /repos/{repo_id}', () => {
    for (const { path: route, operation } of operations(document.paths)) {
      if (!REST_OPERATION_IDS.includes(operation.operationId) || !route.includes('{repo_id}'))
        continue;
      expect({ route, text: operation.responses['404']?.description }).toEqual({
        route,
        text: expect.stringContaining('REPO_NOT_FOUND'),
      });
    }
  });
});
