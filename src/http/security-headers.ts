/**
 * Security headers on every response (api-contract.md §0.1 Headers) through helmet:
 * `default-src 'self'` everywhere except Swagger UI under /docs, whose page needs inline styles
 * and scripts and data: images.
 */
import type { RequestHandler } from 'express';
import helmet, { type HelmetOptions } from 'helmet';

const COMMON: HelmetOptions = {
  frameguard: { action: 'deny' },
  referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
  crossOriginEmbedderPolicy: false,
};

export function securityHeaders(): RequestHandler {
  const api = helmet({
    ...COMMON,
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'self'"] } },
  });
  const docs = helmet({
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
  });
  return (request, response, next) => {
    const underDocs = request.path === '/docs' || request.path.startsWith('/docs/');
    (underDocs ? docs : api)(request, response, next);
  };
}
