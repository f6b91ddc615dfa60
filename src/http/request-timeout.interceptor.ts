/**
 * server.request_timeout for every handler: past it the client gets 504 REQUEST_TIMEOUT with
 * `details.timeout` ("25s"). The handler's own work is not cancelled (a mutation under way may
 * still complete atomically, api-contract.md §0.1); only its late result is dropped. Streams, git
 * and exports opt out with `@Endpoint({ requestTimeout: false })`.
 */
import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { type Observable, throwError, timeout } from 'rxjs';
import { formatDuration, type Milliseconds } from '../config/duration';
import { HttpError } from './http-error';

const NO_REQUEST_TIMEOUT = 'govc:no-request-timeout';

/** Exempts a handler (or a whole controller) from server.request_timeout. */
export const NoRequestTimeout = (): MethodDecorator & ClassDecorator =>
  SetMetadata(NO_REQUEST_TIMEOUT, true);

@Injectable()
export class RequestTimeoutInterceptor implements NestInterceptor {
  constructor(
    private readonly limit: Milliseconds,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const exempt = this.reflector.getAllAndOverride<boolean | undefined>(NO_REQUEST_TIMEOUT, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (exempt || context.getType() !== 'http') return next.handle();
    const shown = formatDuration(this.limit);
    return next.handle().pipe(
      timeout({
        first: this.limit,
        with: () =>
          throwError(
            () =>
              new HttpError(504, 'REQUEST_TIMEOUT', `request took longer than ${shown}`, {
                timeout: shown,
              }),
          ),
      }),
    );
  }
}
