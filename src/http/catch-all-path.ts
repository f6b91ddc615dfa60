/**
 * Catch-all route parameters (api-contract.md §0.1, §0.6): a route written `/*path` takes the
 * rest of the URL, which Express has already split on `/` and percent-decoded segment by
 * segment, so `a/b.txt` and `a%2Fb.txt` name the same file. The segments are joined back; one
 * leading `/` (from `//x`) and one trailing `/` (a trailing slash is served as without it) are
 * dropped. What remains is checked by the engine's path rules, never here.
 */
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import type { Request } from 'express';

/** The path a catch-all parameter matched (`''` when the route's optional part is absent). */
export function joinCatchAll(matched: unknown): string {
  const parts: unknown[] = Array.isArray(matched) ? matched : [matched];
  const segments = parts.filter((part): part is string => typeof part === 'string');
  let path = segments.join('/');
  if (path.startsWith('/')) path = path.slice(1);
  if (path.endsWith('/')) path = path.slice(0, -1);
  return path;
}

/** A file path from a query parameter (v2 `?path=`): one leading `/` is dropped (§0.6). */
export function queryFilePath(value: string): string {
  return value.startsWith('/') ? value.slice(1) : value;
}

/** Injects the joined catch-all parameter `name` (default `path`) as a string. */
export const CatchAllPath = createParamDecorator(
  (name: string | undefined, context: ExecutionContext): string =>
    joinCatchAll(context.switchToHttp().getRequest<Request>().params[name ?? 'path']),
);

/** Documents the catch-all `path` parameter of a route. */
export function ApiCatchAllPath(description: string): MethodDecorator {
  return ApiParam({
    name: 'path',
    required: true,
    description: `${description}; the rest of the URL, \`/\` or \`%2F\` between segments`,
    schema: { type: 'string' },
  });
}
