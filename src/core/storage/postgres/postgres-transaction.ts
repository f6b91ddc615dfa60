/**
 * One SQL transaction on a pooled connection: BEGIN, the body, COMMIT; ROLLBACK on any error.
 *
 * While a client is checked out, pg-pool removes its own 'error' listener, so a connection that
 * dies between two statements would emit an unhandled 'error' and end the process. The listener
 * added here marks the client broken instead; a broken client is destroyed on release rather
 * than returned to the pool.
 */
import type { Pool, PoolClient } from 'pg';

export async function inTransaction<T>(
  pool: Pool,
  body: (client: PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  const onError = (): void => {
    broken = true;
  };
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    const result = await body(client);
    await client.query('COMMIT');
    return result;
  } catch (error: unknown) {
    if (!broken) {
      await client.query('ROLLBACK').catch(() => {
        broken = true;
      });
    }
    throw error;
  } finally {
    client.removeListener('error', onError);
    client.release(broken);
  }
}
