/**
 * Who caused an event (api-contract.md §6.4 `sender`), without threading the principal through
 * every service: a global interceptor runs each HTTP handler inside an AsyncLocalStorage scope
 * holding its request, and producers read the principal the auth guard put on it when they
 * publish (after the write, still in the handler's async chain). Outside a request, or with
 * auth off, the sender is null.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import { Observable } from 'rxjs';
import { principalOf, type RequestWithPrincipal } from '../auth/principal';
import type { EventSender } from './domain-event';

const requests = new AsyncLocalStorage<RequestWithPrincipal>();

/** The sender of events published from the current request: its principal, or null. */
export function currentSender(): EventSender | null {
  const request = requests.getStore();
  if (request === undefined) return null;
  const principal = principalOf(request);
  return principal === null ? null : { id: principal.id, username: principal.username };
}

@Injectable()
export class EventSenderInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<RequestWithPrincipal>();
    // The handler runs when the inner observable is subscribed: subscribe inside the scope.
    return new Observable((subscriber) =>
      requests.run(request, () => next.handle().subscribe(subscriber)),
    );
  }
}
