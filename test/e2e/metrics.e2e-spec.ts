/** GET /metrics (api-contract.md §12): Prometheus text with route templates, token, switch. */
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { BUILD_INFO } from '../../src/build-info';
import { startTestApp } from '../support/test-app';

describe('metrics (e2e)', () => {
  let app: NestExpressApplication;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  const http = () => request(app.getHttpServer());

  it('labels request durations with the route template, and unmatched requests as unmatched', async () => {
    await http().get('/health/live').expect(200);
    await http().get('/no/such/route/123').expect(404);
    const response = await http().get('/metrics').expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    const text = response.text;
    expect(text).toContain('# TYPE govc_http_request_duration_seconds histogram');
    expect(text).toMatch(
      /govc_http_request_duration_seconds_count\{method="GET",route="\/health\/live",status="200"\} [1-9]/,
    );
    expect(text).toMatch(
      /govc_http_request_duration_seconds_bucket\{le="0\.0005",method="GET",route="unmatched",status="404"\}/,
    );
    expect(text).not.toContain('/no/such/route/123');
    expect(text).toMatch(
      /govc_http_requests_total\{method="GET",route="\/health\/live",status="200"\} [1-9]/,
    );
    expect(text).toMatch(/^govc_http_requests_in_flight 1$/m);
    expect(text).toMatch(/^govc_uptime_seconds \d+(\.\d+)?$/m);
    expect(text).toContain(
      `govc_build_info{version="${BUILD_INFO.version}",node_version="${process.version}"} 1`,
    );
    expect(text).toContain('process_resident_memory_bytes');
    expect(text).toContain('nodejs_eventloop_lag_seconds');
  });

  it('counts open transactions in govc_transactions_active', async () => {
    const gauge = async (): Promise<number> => {
      const text = (await http().get('/metrics').expect(200)).text;
      const match = /^govc_transactions_active (\d+)$/m.exec(text);
      if (match === null) throw new Error('govc_transactions_active missing');
      return Number(match[1]);
    };
    await http().post('/api/v1/repos').send({ id: 'metrics-tx' }).expect(201);
    await http()
      .post('/api/v1/repos/metrics-tx/add')
      .send({ path: 'a.txt', content: 'a' })
      .expect(201);
    await http().post('/api/v1/repos/metrics-tx/commit').send({ message: 'init' }).expect(201);
    const before = await gauge();
    const first = await http().post('/api/v1/repos/metrics-tx/transaction').expect(201);
    await http().post('/api/v1/repos/metrics-tx/transaction').expect(201);
    expect(await gauge()).toBe(before + 2);
    await http().post(`/api/v1/repos/metrics-tx/transaction/${first.body.id}/rollback`).expect(200);
    expect(await gauge()).toBe(before + 1);
  });

  it('requires the bearer token when metrics.token is set', async () => {
    const guarded = await startTestApp({ GOVC_METRICS_TOKEN: 'scrape-secret' });
    try {
      const denied = await request(guarded.getHttpServer()).get('/metrics').expect(401);
      expect(denied.body).toEqual({
        error: 'a valid metrics token is required',
        code: 'UNAUTHORIZED',
      });
      expect(denied.headers['www-authenticate']).toBe('Bearer');
      await request(guarded.getHttpServer())
        .get('/metrics')
        .set('Authorization', 'Bearer wrong')
        .expect(401);
      await request(guarded.getHttpServer())
        .get('/metrics')
        .set('Authorization', 'Bearer scrape-secret')
        .expect(200);
    } finally {
      await guarded.close();
    }
  });

  it('has no /metrics route when metrics.enabled is false', async () => {
    const off = await startTestApp({ GOVC_METRICS_ENABLED: 'false' });
    try {
      const response = await request(off.getHttpServer()).get('/metrics').expect(404);
      expect(response.body.code).toBe('ENDPOINT_NOT_FOUND');
    } finally {
      await off.close();
    }
  });
});
