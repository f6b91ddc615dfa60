/**
 * An app with auth enabled for e2e tests: memory storage, a temporary storage.path for the
 * first-start credentials file, and the admin's password and API key read from that file.
 * `makeUser` creates a user (with roles) and returns an API key of theirs.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { startTestApp } from './test-app';

export const ADMIN_PASSWORD = 'admin-password-for-tests';

export interface AuthApp {
  readonly app: NestExpressApplication;
  readonly dataDir: string;
  /** The bootstrap admin's API key. */
  readonly adminKey: string;
  close(): Promise<void>;
}

export async function startAuthApp(env: Record<string, string> = {}): Promise<AuthApp> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'govc-auth-'));
  const app = await startTestApp({
    GOVC_AUTH_ENABLED: 'true',
    GOVC_STORAGE_PATH: dataDir,
    GOVC_AUTH_ADMIN_PASSWORD: ADMIN_PASSWORD,
    ...env,
  });
  const file = JSON.parse(readFileSync(path.join(dataDir, 'initial-admin.json'), 'utf8')) as {
    api_key: string;
  };
  return {
    app,
    dataDir,
    adminKey: file.api_key,
    close: async () => {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

let counter = 0;

/** A new user with `roles`; returns their id and a fresh API key acting with all they hold. */
export async function makeUser(
  auth: AuthApp,
  roles: string[] = [],
  password?: string,
): Promise<{ id: string; username: string; key: string }> {
  counter += 1;
  const username = `user${counter}x${Date.now() % 100000}`;
  const http = request(auth.app.getHttpServer());
  const created = await http
    .post('/api/v1/users')
    .set('X-API-Key', auth.adminKey)
    .send({ username, email: `${username}@example.com`, roles, ...(password ? { password } : {}) })
    .expect(201);
  const id = (created.body as { id: string }).id;
  const key = await request(auth.app.getHttpServer())
    .post(`/api/v1/users/${id}/apikeys`)
    .set('X-API-Key', auth.adminKey)
    .send({ name: 'test' })
    .expect(201);
  return { id, username, key: (key.body as { key: string }).key };
}
