/** Transactions (api-contract.md §7). */
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { TransactionsService } from '../../src/modules/transactions/transactions.service';
import { commitFiles, createRepo, HASH, SERVER_TIME } from '../support/repo-fixture';
import { startTestApp } from '../support/test-app';

describe('transactions (e2e)', () => {
  let app: NestExpressApplication;
  let seq = 0;
  beforeAll(async () => {
    app = await startTestApp({ GOVC_TRANSACTIONS_MAX_OPEN_PER_REPO: '3' });
  });
  afterAll(() => app.close());

  const http = () => request(app.getHttpServer());
  async function repo(): Promise<{ id: string; base: string }> {
    const id = `tx${++seq}`;
    await createRepo(app, id);
    return {
      id,
      base: await commitFiles(app, id, { 'a.txt': 'one\n', 'd/b.txt': 'b\n' }, 'first'),
    };
  }
  async function begin(id: string, family = 'transaction'): Promise<string> {
    const res = await http().post(`/api/v1/repos/${id}/${family}`).expect(201);
    return res.body.id as string;
  }

  it('runs begin → add → remove → get → validate → commit', async () => {
    const { id, base } = await repo();
    const begun = await http().post(`/api/v1/repos/${id}/transaction`).send({}).expect(201);
    expect(begun.body).toEqual({
      id: expect.stringMatching(new RegExp(`^tx_${id}_[0-9a-f-]{36}$`)),
      transaction_id: begun.body.id,
      repo_id: id,
      created_at: expect.stringMatching(SERVER_TIME),
      branch: 'main',
      base_commit: base,
      expires_at: expect.stringMatching(SERVER_TIME),
    });
    const tx = `/api/v1/repos/${id}/transaction/${begun.body.id}`;
    expect(
      (await http().post(`${tx}/add`).send({ path: 'n.txt', content: 'new\n' }).expect(200)).body,
    ).toEqual({
      status: 'added',
      message: 'file n.txt added to transaction',
    });
    await http()
      .post(`${tx}/add`)
      .send({ path: 'bin', content: 'AAE=', encoding: 'base64' })
      .expect(200);
    expect((await http().post(`${tx}/remove`).send({ path: 'a.txt' }).expect(200)).body).toEqual({
      status: 'removed',
      message: 'file a.txt removed in transaction',
    });
    await http().delete(`${tx}/remove/d/b.txt`).expect(200);
    const info = await http().get(tx).expect(200);
    expect(info.body).toEqual(
      expect.objectContaining({
        state: 'open',
        files: [
          { path: 'a.txt', action: 'remove', size: 0 },
          { path: 'bin', action: 'add', size: 2 },
          { path: 'd/b.txt', action: 'remove', size: 0 },
          { path: 'n.txt', action: 'add', size: 4 },
        ],
        updated_at: expect.stringMatching(SERVER_TIME),
      }),
    );
    expect((await http().post(`${tx}/commit`).send({ message: 'm' }).expect(400)).body.code).toBe(
      'TX_NOT_VALIDATED',
    );
    expect((await http().post(`${tx}/validate`).expect(200)).body).toEqual({
      status: 'valid',
      message: 'transaction is valid',
      valid: true,
      errors: [],
    });
    const committed = await http()
      .post(`${tx}/commit`)
      .send({ message: 'tx commit', author: 'Ada', email: 'ada@example.com' })
      .expect(201);
    expect(committed.body).toEqual(
      expect.objectContaining({
        hash: expect.stringMatching(HASH),
        message: 'tx commit',
        author: 'Ada',
        parents: [base],
      }),
    );
    expect((await http().get(tx).expect(404)).body.code).toBe('TX_NOT_FOUND');
  });

  it('answers the plural aliases and rollback', async () => {
    const { id } = await repo();
    const txId = await begin(id, 'transactions');
    const tx = `/api/v1/repos/${id}/transactions/${txId}`;
    await http().post(`${tx}/add`).send({ path: 'x', content: 'x' }).expect(200);
    expect((await http().post(`${tx}/rollback`).expect(200)).body).toEqual({
      status: 'rolled back',
      message: 'transaction rolled back',
    });
    expect((await http().post(`${tx}/rollback`).expect(404)).body.code).toBe('TX_NOT_FOUND');
  });

  it('is bound to its repository', async () => {
    const a = await repo();
    const b = await repo();
    const txId = await begin(a.id);
    expect(
      (await http().get(`/api/v1/repos/${b.id}/transaction/${txId}`).expect(404)).body,
    ).toEqual({
      error: 'transaction not found',
      code: 'TX_NOT_FOUND',
      details: expect.any(Object),
    });
  });

  it('answers VALIDATION_FAILED for an empty file and for no changes', async () => {
    const { id } = await repo();
    const tx = `/api/v1/repos/${id}/transaction/${await begin(id)}`;
    const none = await http().post(`${tx}/validate`).expect(400);
    expect(none.body.code).toBe('VALIDATION_FAILED');
    await http().post(`${tx}/add`).send({ path: 'empty.txt', content: '' }).expect(200);
    const empty = await http().post(`${tx}/validate`).expect(400);
    expect(empty.body).toEqual({
      error: 'validation failed: empty file: empty.txt',
      code: 'VALIDATION_FAILED',
      details: { errors: [expect.objectContaining({ path: 'empty.txt' })] },
    });
  });

  it('answers TX_CONFLICT when the branch moved in a conflicting way', async () => {
    const { id } = await repo();
    const tx = `/api/v1/repos/${id}/transaction/${await begin(id)}`;
    await http().post(`${tx}/add`).send({ path: 'a.txt', content: 'tx\n' }).expect(200);
    await http().post(`${tx}/validate`).expect(200);
    await commitFiles(app, id, { 'a.txt': 'moved\n' });
    const res = await http().post(`${tx}/commit`).send({ message: 'm' }).expect(409);
    expect(res.body).toEqual({
      error: expect.any(String),
      code: 'TX_CONFLICT',
      details: { paths: ['a.txt'] },
    });
  });

  it.each([
    ['add', { path: '../x', content: 'x' }, 400, 'INVALID_FILE_PATH'],
    ['add', { path: 'x', content: '***', encoding: 'base64' }, 400, 'INVALID_FILE_CONTENT'],
    ['add', { path: 'x' }, 400, 'INVALID_REQUEST'],
    ['remove', { path: 'nope.txt' }, 404, 'FILE_NOT_FOUND'],
    ['commit', {}, 400, 'INVALID_REQUEST'],
  ])('%s %j → %i %s', async (route, body, status, code) => {
    const { id } = await repo();
    const tx = `/api/v1/repos/${id}/transaction/${await begin(id)}`;
    expect((await http().post(`${tx}/${route}`).send(body).expect(status)).body.code).toBe(code);
  });

  it('answers BRANCH_NOT_FOUND, TX_LIMIT_REACHED and TX_NOT_FOUND', async () => {
    const { id } = await repo();
    const missing = await http()
      .post(`/api/v1/repos/${id}/transaction`)
      .send({ branch: 'nope' })
      .expect(404);
    expect(missing.body.code).toBe('BRANCH_NOT_FOUND');
    for (let i = 0; i < 3; i++) await begin(id);
    expect((await http().post(`/api/v1/repos/${id}/transaction`).expect(503)).body.code).toBe(
      'TX_LIMIT_REACHED',
    );
    expect(
      (await http().post(`/api/v1/repos/${id}/transaction/tx_nope/validate`).expect(404)).body.code,
    ).toBe('TX_NOT_FOUND');
    expect((await http().post('/api/v1/repos/nope/transaction').expect(404)).body.code).toBe(
      'REPO_NOT_FOUND',
    );
  });

  it('sweeps expired transactions', async () => {
    const { id } = await repo();
    const txId = await begin(id);
    const service = app.get(TransactionsService);
    expect(service.sweep(Date.now() + 2 * 3_600_000)).toBeGreaterThanOrEqual(1);
    expect(
      (await http().get(`/api/v1/repos/${id}/transaction/${txId}`).expect(404)).body.code,
    ).toBe('TX_NOT_FOUND');
  });
});
