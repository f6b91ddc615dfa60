/**
 * Who acts on a transaction (api-contract.md §7: bound to the principal that began it). There
 * is no authentication yet, so every caller is the one anonymous principal; when auth lands,
 * this decorator reads the authenticated user (owner = user id, admin = system:admin).
 */
import { createParamDecorator } from '@nestjs/common';
import type { TransactionAccess } from '../../core';

export const ANONYMOUS_PRINCIPAL: TransactionAccess = { owner: 'anonymous', admin: false };

export const TransactionPrincipal = createParamDecorator(
  (): TransactionAccess => ANONYMOUS_PRINCIPAL,
);
