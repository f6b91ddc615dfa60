/**
 * Test databases for the postgres driver: each suite creates its own uniquely named database
 * on the local server (GOVC_TEST_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/postgres)
 * and drops it at the end. Suites are skipped when no server answers.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { connect, createServer, type Socket } from 'node:net';
import { Client } from 'pg';
import {
  PostgresStorageDriver,
  type PostgresStorageOptions,
} from '../../../../../src/core/storage/postgres/postgres-storage-driver';
import type { StorageLogger } from '../../../../../src/core/storage/storage-driver';

export const ADMIN_URL =
  process.env.GOVC_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export const quietLogger: StorageLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** Whether a server answers (checked once, synchronously, so `describe` can be skipped). */
export function postgresAvailable(): boolean {
  const probe = `const { Client } = require('pg'); const c = new Client({ connectionString: ${JSON.stringify(ADMIN_URL)}, connectionTimeoutMillis: 2000 });
    c.connect().then(() => c.end()).then(() => process.exit(0), () => process.exit(1));`;
  return spawnSync(process.execPath, ['-e', probe], { cwd: __dirname, timeout: 5000 }).status === 0;
}

function urlFor(database: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

export interface TestDatabase {
  readonly name: string;
  readonly url: string;
  /** Runs SQL on the test database (setup, inspection). */
  query(sql: string, values?: unknown[]): Promise<Array<Record<string, unknown>>>;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `govc_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = urlFor(name);
  return {
    name,
    url,
    async query(sql, values) {
      const client = new Client({ connectionString: url });
      await client.connect();
      try {
        return (await client.query(sql, values)).rows as Array<Record<string, unknown>>;
      } finally {
        await client.end();
      }
    },
    async drop() {
      const dropper = new Client({ connectionString: ADMIN_URL });
      await dropper.connect();
      try {
        await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await dropper.end();
      }
    },
  };
}

export async function openPostgresDriver(
  url: string,
  options: Partial<PostgresStorageOptions> = {},
): Promise<PostgresStorageDriver> {
  const driver = new PostgresStorageDriver({
    url,
    poolSize: 4,
    statementTimeoutMs: 3000,
    logger: quietLogger,
    ...options,
  });
  await driver.open();
  return driver;
}

/**
 * A TCP proxy in front of the database, to cut it off without touching the shared server:
 * `down()` drops every connection and refuses new ones, `stall()` stops reading (connections stay
 * open, nothing is answered: a stopped server), `up()` restores normal service on the same port.
 */
export interface DatabaseProxy {
  readonly url: (database: string) => string;
  down(): Promise<void>;
  stall(): void;
  up(): Promise<void>;
  close(): Promise<void>;
}

export async function startDatabaseProxy(): Promise<DatabaseProxy> {
  const target = new URL(ADMIN_URL);
  const sockets = new Set<Socket>();
  let stalled = false;
  const handle = (client: Socket): void => {
    const upstream = connect(Number(target.port || 5432), target.hostname);
    sockets.add(client);
    sockets.add(upstream);
    const forget = (): void => {
      sockets.delete(client);
      sockets.delete(upstream);
      client.destroy();
      upstream.destroy();
    };
    client.pipe(upstream);
    upstream.pipe(client);
    if (stalled) {
      client.pause();
      upstream.pause();
    }
    client.on('error', forget).on('close', forget);
    upstream.on('error', forget).on('close', forget);
  };
  let server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const closeServer = (): Promise<void> =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      sockets.clear();
      server.close(() => resolve());
    });
  return {
    url: (database) => {
      const url = new URL(ADMIN_URL);
      url.port = String(port);
      url.pathname = `/${database}`;
      return url.toString();
    },
    down: closeServer,
    stall: () => {
      // Nothing is read any more: bytes wait in the kernel, as with a stopped server.
      stalled = true;
      for (const socket of sockets) socket.pause();
    },
    up: async () => {
      stalled = false;
      for (const socket of sockets) socket.resume();
      if (server.listening) return;
      server = createServer(handle);
      await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    },
    close: closeServer,
  };
}
