/** Health, readiness and version routes (api-contract.md §12). */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { ReadinessService } from '../../src/modules/health/readiness.service';
import { startTestApp } from '../support/test-app';

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const GO_DURATION = /^(\d+h)?(\d+m)?[\d.]+(µs|ms|s)$/;

function expectCheck(check: unknown, status: string): void {
  expect(check).toEqual({
    status,
    message: expect.any(String),
    timestamp: expect.stringMatching(ISO_TIME),
    duration: expect.stringMatching(GO_DURATION),
  });
}

describe('health (e2e)', () => {
  let app: NestExpressApplication;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  const http = () => request(app.getHttpServer());

  it('GET /health reports healthy with storage, memory and repositories checks', async () => {
    const response = await http().get('/health').expect(200);
    const body = response.body;
    expect(body).toEqual({
      status: 'healthy',
      timestamp: expect.stringMatching(ISO_TIME),
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      uptime: expect.stringMatching(GO_DURATION),
      checks: {
        storage: expect.any(Object),
        memory: expect.any(Object),
        repositories: expect.any(Object),
      },
      system: {
        go_version: `node ${process.version}`,
        node_version: process.version,
        num_goroutines: expect.any(Number),
        memory: {
          allocated_bytes: expect.any(Number),
          total_allocated_bytes: expect.any(Number),
          system_bytes: expect.any(Number),
          num_gc: expect.any(Number),
        },
      },
    });
    expectCheck(body.checks.storage, 'healthy');
    expectCheck(body.checks.memory, 'healthy');
    expectCheck(body.checks.repositories, 'healthy');
    expect(body.system.memory.system_bytes).toBeGreaterThan(0);
  });

  it('serves the same report at the govc path /api/v1/health', async () => {
    const response = await http().get('/api/v1/health').expect(200);
    expect(response.body.status).toBe('healthy');
    expect(Object.keys(response.body.checks).sort()).toEqual(['memory', 'repositories', 'storage']);
  });

  it('GET /health/live answers alive with a timestamp', async () => {
    const response = await http().get('/health/live').expect(200);
    expect(response.body).toEqual({ status: 'alive', timestamp: expect.stringMatching(ISO_TIME) });
  });

  it('GET /health/ready is ready once storage is open', async () => {
    const response = await http().get('/health/ready').expect(200);
    expect(response.body).toEqual({
      status: 'ready',
      timestamp: expect.stringMatching(ISO_TIME),
      checks: { storage: 'ready' },
    });
  });

  it('GET /version describes the build', async () => {
    const response = await http().get('/version').expect(200);
    expect(response.body).toEqual({
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      go_version: `node ${process.version}`,
      node_version: process.version,
      build_time: 'development',
      git_commit: 'unknown',
      api_version: 'v1',
    });
  });

  it('GET /health/ready answers 503 not_ready once shutdown has begun', async () => {
    const other = await startTestApp();
    try {
      other.get(ReadinessService).markShuttingDown();
      const response = await request(other.getHttpServer()).get('/health/ready').expect(503);
      expect(response.body).toEqual({
        status: 'not_ready',
        timestamp: expect.stringMatching(ISO_TIME),
        checks: { storage: 'ready' },
        reason: 'shutting down',
      });
      const during = await request(other.getHttpServer()).get('/health/live').expect(200);
      expect(during.headers.connection).toBe('close');
    } finally {
      await other.close();
    }
  });
});

describe('health with the disk driver (e2e)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'govc-health-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('probes the data directory, creating it when missing', async () => {
    const dataDir = path.join(dir, 'nested', 'data');
    const app = await startTestApp({ GOVC_STORAGE_DRIVER: 'disk', GOVC_STORAGE_PATH: dataDir });
    try {
      const response = await request(app.getHttpServer()).get('/health').expect(200);
      expectCheck(response.body.checks.storage, 'healthy');
      expect(response.body.checks.storage.message).toContain('fsynced');
    } finally {
      await app.close();
    }
  });

  it('reports 503 unhealthy when the data directory cannot be written', async () => {
    const blocker = path.join(dir, 'not-a-directory');
    writeFileSync(blocker, 'x');
    const app = await startTestApp({ GOVC_STORAGE_DRIVER: 'disk', GOVC_STORAGE_PATH: blocker });
    try {
      const response = await request(app.getHttpServer()).get('/health').expect(503);
      expect(response.body.status).toBe('unhealthy');
      expectCheck(response.body.checks.storage, 'unhealthy');
      expect(response.body.checks.memory.status).toBe('healthy');
    } finally {
      await app.close();
    }
  });
});
