/**
 * Security headers on every response (api-contract.md §0.1 Headers), as helmet sets them:
 * `default-src 'self'` everywhere except Swagger UI under /docs, whose page needs inline styles
 * and scripts and data: images.
 *
 * Helmet decides the headers once, at start, against a recording response (with these static
 * options its headers never depend on the request); each request then gets them in one loop
 * instead of a dozen nested middleware calls.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import helmet, { type HelmetOptions } from 'helmet';

const COMMON: HelmetOptions = {
  frameguard: { action: 'deny' },
  referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
  crossOriginEmbedderPolicy: false,
};

type Header = readonly [name: string, value: string];

/** The headers `middleware` sets on a response (removals are already true: no X-Powered-By). */
function headersSetBy(middleware: ReturnType<typeof helmet>): readonly Header[] {
  const headers = new Map<string, string>();
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers.set(name, Array.isArray(value) ? value.join(', ') : String(value));
      return recorder;
    },
    removeHeader(name: string) {
      headers.delete(name);
    },
  };
  let called = false;
  middleware({} as IncomingMessage, recorder as unknown as ServerResponse, (error?: unknown) => {
    if (error instanceof Error) throw error;
    if (error !== undefined) throw new Error('helmet refused its own options');
    called = true;
  });
  if (!called) throw new Error('helmet did not finish synchronously');
  return [...headers];
}

export function securityHeaders(): RequestHandler {
  const api = headersSetBy(
    helmet({
      ...COMMON,
      contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'self'"] } },
    }),
  );
  const docs = headersSetBy(
    helmet({
      ...COMMON,
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'", "'unsafe-inline'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:', 'https:'],
        },
      },
    }),
  );
  return (request, response, next) => {
    const underDocs = request.path === '/docs' || request.path.startsWith('/docs/');
    for (const [name, value] of underDocs ? docs : api) response.setHeader(name, value);
    next();
  };
}
