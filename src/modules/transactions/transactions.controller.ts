/**
 * Transactions (api-contract.md §7) under `…/transaction/…` and, as aliases, `…/transactions/…`:
 * one controller class per spelling, built by the same factory so the two cannot drift.
 */
import { Body, Controller, Delete, Get, Param, Post, type Type } from '@nestjs/common';
import { ApiBody, ApiTags } from '@nestjs/swagger';
import type { TransactionAccess } from '../../core';
import { Endpoint, type EndpointError } from '../../http/endpoint.decorator';
import { REPO_WRITE_ERRORS } from '../git-core/route-errors';
import { PRE_COMMIT_HOOK_ERRORS } from '../hooks/server-hooks/server-hook-route-errors';
import { ApiCatchAllPath, CatchAllPath } from '../../http/catch-all-path';
import { CommitResponseDto, toCommitResponse } from '../repos/dto/commit-response.dto';
import { SuccessDataResponseDto } from '../repos/operations/dto/success-data-response.dto';
import {
  BeginTransactionDto,
  TransactionAddDto,
  TransactionBegunDto,
  TransactionCommitDto,
  TransactionInfoDto,
  TransactionRemoveDto,
  TransactionValidDto,
  toTransactionAdded,
  toTransactionBegun,
  toTransactionInfo,
  toTransactionRemoved,
  toTransactionRolledBack,
  toTransactionValid,
} from './dto/transaction.dto';
import { TransactionPrincipal } from './transaction-principal.decorator';
import { TransactionsService } from './transactions.service';

const err = (status: number, ...codes: string[]): EndpointError => ({ status, codes });
const TX_NOT_FOUND = err(404, 'REPO_NOT_FOUND', 'TX_NOT_FOUND');
const ok = (description: string) => ({ status: 200, description, type: SuccessDataResponseDto });

function transactionsController(
  segment: 'transaction' | 'transactions',
  suffix: string,
): Type<unknown> {
  const base = `api/v1/repos/:repo_id/${segment}`;
  const tx = `${base}/:tx_id`;
  const id = (name: string): string => `transactions${name}${suffix}`;
  const alias = suffix === '' ? '' : ' (plural alias)';

  @ApiTags('transactions')
  @Controller()
  class TransactionsController {
    constructor(readonly transactions: TransactionsService) {}

    @Post(base)
    @ApiBody({ type: BeginTransactionDto, required: false })
    @Endpoint({
      summary: `Begin a transaction${alias}`,
      operationId: id('Begin'),
      permission: 'repo:write',
      responses: [{ status: 201, description: 'The new transaction', type: TransactionBegunDto }],
      errors: [
        ...REPO_WRITE_ERRORS,
        err(404, 'REPO_NOT_FOUND', 'BRANCH_NOT_FOUND'),
        err(503, 'TX_LIMIT_REACHED'),
      ],
    })
    async begin(
      @Param('repo_id') repoId: string,
      @TransactionPrincipal() access: TransactionAccess,
      @Body() body?: BeginTransactionDto,
    ): Promise<TransactionBegunDto> {
      return toTransactionBegun(await this.transactions.begin(repoId, body, access));
    }

    @Get(tx)
    @Endpoint({
      summary: `Get a transaction${alias}`,
      operationId: id('Get'),
      permission: 'repo:write',
      responses: [
        { status: 200, description: 'State and changed files', type: TransactionInfoDto },
      ],
      errors: [...REPO_WRITE_ERRORS, TX_NOT_FOUND],
    })
    async get(
      @Param('repo_id') repoId: string,
      @Param('tx_id') txId: string,
      @TransactionPrincipal() access: TransactionAccess,
    ): Promise<TransactionInfoDto> {
      return toTransactionInfo(await this.transactions.get(repoId, txId, access));
    }

    @Post(`${tx}/add`)
    @Endpoint({
      summary: `Add a file to a transaction${alias}`,
      operationId: id('Add'),
      permission: 'repo:write',
      responses: [ok('Added')],
      errors: [
        ...REPO_WRITE_ERRORS,
        err(400, 'INVALID_FILE_PATH', 'INVALID_FILE_CONTENT', 'INVALID_REQUEST'),
        TX_NOT_FOUND,
        err(413, 'TX_TOO_LARGE'),
      ],
    })
    async add(
      @Param('repo_id') repoId: string,
      @Param('tx_id') txId: string,
      @Body() body: TransactionAddDto,
      @TransactionPrincipal() access: TransactionAccess,
    ): Promise<SuccessDataResponseDto> {
      return toTransactionAdded(await this.transactions.add(repoId, txId, body, access));
    }

    @Post(`${tx}/remove`)
    @Endpoint({
      summary: `Remove a file in a transaction${alias}`,
      operationId: id('Remove'),
      permission: 'repo:write',
      responses: [ok('Removed')],
      errors: [
        ...REPO_WRITE_ERRORS,
        err(400, 'INVALID_FILE_PATH'),
        err(404, 'REPO_NOT_FOUND', 'TX_NOT_FOUND', 'FILE_NOT_FOUND'),
      ],
    })
    async remove(
      @Param('repo_id') repoId: string,
      @Param('tx_id') txId: string,
      @Body() body: TransactionRemoveDto,
      @TransactionPrincipal() access: TransactionAccess,
    ): Promise<SuccessDataResponseDto> {
      return toTransactionRemoved(await this.transactions.remove(repoId, txId, body.path, access));
    }

    @Delete(`${tx}/remove/*path`)
    @ApiCatchAllPath('File path')
    @Endpoint({
      summary: `Remove a file in a transaction, path in the URL${alias}`,
      operationId: id('RemovePath'),
      permission: 'repo:write',
      responses: [ok('Removed')],
      errors: [
        ...REPO_WRITE_ERRORS,
        err(400, 'INVALID_FILE_PATH'),
        err(404, 'REPO_NOT_FOUND', 'TX_NOT_FOUND', 'FILE_NOT_FOUND'),
      ],
    })
    async removePath(
      @Param('repo_id') repoId: string,
      @Param('tx_id') txId: string,
      @CatchAllPath('path') path: string,
      @TransactionPrincipal() access: TransactionAccess,
    ): Promise<SuccessDataResponseDto> {
      return toTransactionRemoved(await this.transactions.remove(repoId, txId, path, access));
    }

    @Post(`${tx}/validate`)
    @Endpoint({
      summary: `Validate a transaction${alias}`,
      operationId: id('Validate'),
      permission: 'repo:write',
      responses: [{ status: 200, description: 'Valid', type: TransactionValidDto }],
      errors: [...REPO_WRITE_ERRORS, err(400, 'VALIDATION_FAILED'), TX_NOT_FOUND],
    })
    async validate(
      @Param('repo_id') repoId: string,
      @Param('tx_id') txId: string,
      @TransactionPrincipal() access: TransactionAccess,
    ): Promise<TransactionValidDto> {
      return this.transactions.validate(repoId, txId, access).then(toTransactionValid);
    }

    @Post(`${tx}/commit`)
    @Endpoint({
      summary: `Commit a validated transaction${alias}`,
      operationId: id('Commit'),
      permission: 'repo:write',
      responses: [{ status: 201, description: 'The new commit', type: CommitResponseDto }],
      errors: [
        ...REPO_WRITE_ERRORS,
        err(400, 'TX_NOT_VALIDATED', 'INVALID_COMMIT_MESSAGE', 'INVALID_EMAIL', 'COMMIT_FAILED'),
        err(404, 'REPO_NOT_FOUND', 'TX_NOT_FOUND', 'BRANCH_NOT_FOUND'),
        err(409, 'TX_CONFLICT', 'CONCURRENT_UPDATE'),
        ...PRE_COMMIT_HOOK_ERRORS,
      ],
    })
    async commit(
      @Param('repo_id') repoId: string,
      @Param('tx_id') txId: string,
      @Body() body: TransactionCommitDto,
      @TransactionPrincipal() access: TransactionAccess,
    ): Promise<CommitResponseDto> {
      return this.transactions
        .commit(repoId, txId, body, access)
        .then(({ oid, commit }) => toCommitResponse(oid, commit));
    }

    @Post(`${tx}/rollback`)
    @Endpoint({
      summary: `Roll back a transaction${alias}`,
      operationId: id('Rollback'),
      permission: 'repo:write',
      responses: [ok('Rolled back')],
      errors: [...REPO_WRITE_ERRORS, TX_NOT_FOUND],
    })
    async rollback(
      @Param('repo_id') repoId: string,
      @Param('tx_id') txId: string,
      @TransactionPrincipal() access: TransactionAccess,
    ): Promise<SuccessDataResponseDto> {
      return this.transactions.rollback(repoId, txId, access).then(toTransactionRolledBack);
    }
  }
  return TransactionsController;
}

export const TransactionController = transactionsController('transaction', '');
export const TransactionsAliasController = transactionsController('transactions', 'Plural');
