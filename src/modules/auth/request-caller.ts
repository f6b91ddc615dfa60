/**
 * The authenticated caller of the request being served, for code far from the controller: a new
 * commit's identity defaults to the caller's username and email (api-contract.md §0.8), and that
 * rule sits in the services that ~20 routes share. One AsyncLocalStorage holds the request from
 * the first middleware on; the auth guard later fills `request.principal` on that same object.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { RequestHandler } from 'express';
import { principalOf, type Principal, type RequestWithPrincipal } from './principal';

const current = new AsyncLocalStorage<RequestWithPrincipal>();

/** Express middleware: serves the rest of the request inside its caller context. */
export function trackRequestCaller(): RequestHandler {
  return (request, _response, next) => current.run(request as RequestWithPrincipal, next);
}

/** The principal of the request being served; null outside a request or when anonymous. */
export function currentCaller(): Principal | null {
  const request = current.getStore();
  return request === undefined ? null : principalOf(request);
}
