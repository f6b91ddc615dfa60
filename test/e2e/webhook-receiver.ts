/**
 * A local webhook receiver for the e2e tests: an HTTP server on 127.0.0.1 that records every
 * request (headers and raw body) and answers as the test says (a status, or never).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: Buffer;
}

/** What to answer: a status (and headers), or 'hang' to hold the request open. */
export type Answer = { status: number; headers?: Record<string, string> } | 'hang';

export class WebhookReceiver {
  readonly requests: ReceivedRequest[] = [];
  /** Answers used in turn; the last one repeats. */
  answers: Answer[] = [{ status: 200 }];
  private readonly held: ServerResponse[] = [];
  private waiters: Array<{ count: number; resolve: () => void }> = [];
  private server: Server | undefined;

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        this.requests.push({
          method: request.method ?? '',
          path: request.url ?? '',
          headers: request.headers,
          body: Buffer.concat(chunks),
        });
        const answer =
          this.answers[Math.min(this.requests.length - 1, this.answers.length - 1)] ?? 'hang';
        if (answer === 'hang') this.held.push(response);
        else response.writeHead(answer.status, answer.headers ?? {}).end('ok');
        this.notify();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  /** Requests being held open ('hang'). */
  get holding(): number {
    return this.held.filter((response) => !response.writableEnded).length;
  }

  /** Resolves once `count` requests have arrived. */
  received(count: number): Promise<void> {
    if (this.requests.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  release(): void {
    for (const response of this.held.splice(0)) response.writeHead(200).end('late');
  }

  async stop(): Promise<void> {
    this.release();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  private notify(): void {
    const ready = this.waiters.filter((waiter) => this.requests.length >= waiter.count);
    this.waiters = this.waiters.filter((waiter) => this.requests.length < waiter.count);
    for (const waiter of ready) waiter.resolve();
  }
}
