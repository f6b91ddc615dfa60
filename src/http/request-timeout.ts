/**
 * server.request_timeout for every route: past it the client gets 504 REQUEST_TIMEOUT with
 * `details.timeout` ("25s"). The handler's own work is not cancelled (a mutation under way may
 * still complete atomically, api-contract.md §0.1); only its late reply is dropped. Streams, git
 * and exports opt out with `@Endpoint({ requestTimeout: false })`.
 *
 * A timer per request armed by a middleware, not a Nest interceptor: any global interceptor
 * makes Nest run every handler through an rxjs pipeline and an AsyncResource, about a fifth of
 * the cost of a small request. A global guard, which sees the route, disarms it for exempt ones.
 */
import { type CanActivate, type ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { RequestHandler, Response } from 'express';
import { formatDuration, type Milliseconds } from '../config/duration';

const NO_REQUEST_TIMEOUT = 'govc:no-request-timeout';
const DISARM = Symbol('disarm the request timeout');
const TIMED_OUT = Symbol('answered 504 by the request timeout');

interface TimedRequest {
  [DISARM]?: () => void;
}

interface TimedResponse {
  [TIMED_OUT]?: true;
}

/** Exempts a handler (or a whole controller) from server.request_timeout. */
export const NoRequestTimeout = (): MethodDecorator & ClassDecorator =>
  SetMetadata(NO_REQUEST_TIMEOUT, true);

/** Express middleware arming the timer of each request; cleared when its response ends. */
export function requestTimeout(limit: Milliseconds): RequestHandler {
  const shown = formatDuration(limit);
  return (request, response, next) => {
    const timer = setTimeout(() => expire(response, shown), limit);
    const disarm = (): void => clearTimeout(timer);
    response.once('finish', disarm);
    response.once('close', disarm);
    (request as TimedRequest)[DISARM] = disarm;
    next();
  };
}

/** Global guard: disarms the timer of routes marked NoRequestTimeout. Never refuses. */
@Injectable()
export class RequestTimeoutExemption implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const exempt = this.reflector.getAllAndOverride<boolean | undefined>(NO_REQUEST_TIMEOUT, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (exempt === true) context.switchToHttp().getRequest<TimedRequest>()[DISARM]?.();
    return true;
  }
}

/** Whether the request timeout answered this response (a late reply or error is dropped). */
export function answeredByTimeout(response: Response): boolean {
  return (response as TimedResponse)[TIMED_OUT] === true;
}

function expire(response: Response, shown: string): void {
  if (response.headersSent || response.writableEnded) return;
  response.status(504).json({
    error: `request took longer than ${shown}`,
    code: 'REQUEST_TIMEOUT',
    details: { timeout: shown },
  });
  (response as TimedResponse)[TIMED_OUT] = true;
  // The handler may still answer: what it sends now goes nowhere.
  const ignored = function (this: Response): Response {
    return this;
  };
  for (const method of ['status', 'set', 'header', 'type', 'json', 'send', 'sendStatus'] as const) {
    Object.defineProperty(response, method, { value: ignored, configurable: true, writable: true });
  }
}
