/**
 * One HTTP attempt of a webhook delivery (api-contract.md §6.2) with node:http/https: POST the
 * body, no redirects followed, no connection reuse, the whole exchange bounded by
 * `hooks.timeout`, the response body kept up to 64 KiB. The target policy checks the address
 * being connected to (TargetPolicy). The outcome is data, never a rejection.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { bareHost, TargetAddressForbidden, type TargetPolicy } from './target-policy';

export const MAX_RESPONSE_BODY = 64 * 1024;

export interface WebhookRequest {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
  readonly timeoutMs: number;
  readonly insecureSsl: boolean;
}

export interface WebhookResponse {
  /** 0 when no response came. */
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly durationMs: number;
  /** Why the attempt failed before a response: connect error, timeout, forbidden target. */
  readonly error?: string;
  /** The guard refused the address: final. */
  readonly forbidden?: boolean;
}

export function sendWebhook(
  request: WebhookRequest,
  policy: TargetPolicy,
): Promise<WebhookResponse> {
  const started = process.hrtime.bigint();
  const elapsed = (): number => Number(process.hrtime.bigint() - started) / 1e6;
  return new Promise<WebhookResponse>((resolve) => {
    let settled = false;
    let timer: NodeJS.Timeout | undefined = undefined;
    const finish = (outcome: Omit<WebhookResponse, 'durationMs'>): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...outcome, durationMs: Math.round(elapsed() * 1000) / 1000 });
    };
    const fail = (error: unknown): void => {
      if (error instanceof TargetAddressForbidden) {
        finish({ statusCode: 0, headers: {}, body: '', error: error.message, forbidden: true });
      } else {
        finish({
          statusCode: 0,
          headers: {},
          body: '',
          error: error instanceof Error ? error.message : String(error),
        });
      }
    };

    let url: URL;
    try {
      url = new URL(request.url);
      policy.checkLiteral(bareHost(url));
    } catch (error) {
      fail(error);
      return;
    }
    const client = url.protocol === 'https:' ? https : http;
    const lookup = policy.lookupFor(bareHost(url));
    const outgoing = client.request(url, {
      method: 'POST',
      headers: { ...request.headers, 'Content-Length': String(request.body.length) },
      agent: false,
      ...(lookup === undefined ? {} : { lookup }),
      ...(url.protocol === 'https:' ? { rejectUnauthorized: !request.insecureSsl } : {}),
    });
    timer = setTimeout(() => {
      outgoing.destroy(new Error(`timeout after ${request.timeoutMs} ms`));
    }, request.timeoutMs);
    timer.unref();

    outgoing.on('error', fail);
    outgoing.on('response', (response) => {
      const chunks: Buffer[] = [];
      let kept = 0;
      response.on('data', (chunk: Buffer) => {
        if (kept >= MAX_RESPONSE_BODY) return;
        const part = chunk.subarray(0, MAX_RESPONSE_BODY - kept);
        chunks.push(part);
        kept += part.length;
      });
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(response.headers)) {
        if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
      }
      const done = (): void =>
        finish({
          statusCode: response.statusCode ?? 0,
          headers,
          body: Buffer.concat(chunks).toString('utf8'),
        });
      response.on('end', done);
      // A receiver that answered and then hung up still gave its status.
      response.on('error', done);
      response.on('aborted', done);
    });
    outgoing.end(request.body);
  });
}
