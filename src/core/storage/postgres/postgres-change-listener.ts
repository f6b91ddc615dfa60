/**
 * The LISTEN side of the postgres driver: one dedicated connection (not from the pool) that
 * receives every NOTIFY on the change channel. When the connection drops it reconnects with
 * backoff and then calls `onResync`, because notifications sent while it was away are lost:
 * the driver reloads what it has in memory instead. A connection can also go silent without
 * failing (a stopped server, a dropped network path), so a heartbeat query every few seconds,
 * bounded by the query timeout, turns silence into a reconnect.
 */
import { Client, type ClientConfig, type Notification } from 'pg';
import type { StorageLogger } from '../storage-driver';
import { CHANGE_CHANNEL } from './postgres-repository';

const FIRST_RETRY_MS = 200;
const MAX_RETRY_MS = 5_000;
const HEARTBEAT_MS = 2_000;

export interface ChangeListenerOptions {
  readonly connection: ClientConfig;
  readonly logger: StorageLogger;
  readonly onMessage: (payload: string) => void;
  /** After a reconnect: notifications may have been missed. */
  readonly onResync: () => void;
}

export class PostgresChangeListener {
  private client: Client | undefined;
  private retryMs = FIRST_RETRY_MS;
  private timer: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly options: ChangeListenerOptions) {}

  /** Connects and listens; throws when the first connection fails. */
  async start(): Promise<void> {
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    clearInterval(this.heartbeat);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new Client(this.options.connection);
    client.on('notification', (message: Notification) => {
      if (message.channel === CHANGE_CHANNEL && message.payload !== undefined)
        this.options.onMessage(message.payload);
    });
    client.on('error', (error: Error) => this.lost(client, error));
    client.on('end', () => this.lost(client, new Error('connection ended')));
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANGE_CHANNEL}`);
    } catch (error: unknown) {
      await client.end().catch(() => undefined);
      throw error;
    }
    this.client = client;
    this.retryMs = FIRST_RETRY_MS;
    clearInterval(this.heartbeat);
    this.heartbeat = setInterval(() => {
      client
        .query('SELECT 1')
        .catch((error: unknown) =>
          this.lost(client, error instanceof Error ? error : new Error(String(error))),
        );
    }, HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  private lost(client: Client, error: Error): void {
    if (this.stopped || this.client !== client) return;
    this.client = undefined;
    clearInterval(this.heartbeat);
    this.options.logger.warn('postgres change listener lost its connection; reconnecting', {
      error: error.message,
    });
    void client.end().catch(() => undefined);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.connect().then(
        () => {
          this.options.logger.info('postgres change listener reconnected');
          this.options.onResync();
        },
        () => {
          this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
          this.scheduleReconnect();
        },
      );
    }, this.retryMs);
    this.timer.unref();
  }
}
