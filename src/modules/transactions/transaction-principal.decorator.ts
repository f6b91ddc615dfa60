/**
 * Who acts on a transaction (api-contract.md §7: bound to the principal that began it): the
 * authenticated user's id as owner, and `admin` when they hold system:admin (who may act on any
 * transaction). With auth disabled every caller is the one anonymous principal.
 */
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { TransactionAccess } from '../../core';
import { principalOf, requestAllows, type RequestWithPrincipal } from '../auth/principal';

export const ANONYMOUS_PRINCIPAL: TransactionAccess = { owner: 'anonymous', admin: false };

export function transactionAccessOf(request: RequestWithPrincipal): TransactionAccess {
  const principal = principalOf(request);
  if (principal === null) return ANONYMOUS_PRINCIPAL;
  return { owner: principal.id, admin: requestAllows(request, 'system:admin') };
}

export const TransactionPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): TransactionAccess =>
    transactionAccessOf(context.switchToHttp().getRequest<RequestWithPrincipal>()),
);
