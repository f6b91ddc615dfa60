/** Transaction requests and responses (api-contract.md §7). */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString } from 'class-validator';
import { CONTENT_ENCODINGS, type ContentEncoding } from '../../files/file-content';
import type { TransactionFile, TransactionInfo } from '../../../core';
import {
  toSuccessDataResponse,
  type SuccessDataResponseDto,
} from '../../repos/operations/dto/success-data-response.dto';
import { AuthorField, CommitAuthorDto } from '../../repos/dto/author-field.decorator';

export class BeginTransactionDto {
  @ApiPropertyOptional({ type: String, description: 'Default: the current branch' })
  @IsOptional()
  @IsString()
  branch?: string;
}

export class TransactionAddDto {
  @ApiProperty({ type: String, example: 'src/index.ts' })
  @IsString()
  path: string;

  @ApiProperty({ type: String, description: '"" accepted here, refused by validate' })
  @IsString()
  content: string;

  @ApiPropertyOptional({ enum: CONTENT_ENCODINGS, default: 'utf-8' })
  @IsOptional()
  @IsIn(CONTENT_ENCODINGS)
  encoding?: ContentEncoding;
}

export class TransactionRemoveDto {
  @ApiProperty({ type: String })
  @IsString()
  path: string;
}

export class TransactionCommitDto {
  @ApiProperty({ type: String })
  @IsString()
  message: string;

  @AuthorField('Author name, or {name, email} (§0.8)')
  author?: string | CommitAuthorDto;

  @ApiPropertyOptional({ type: String, description: 'Author email (§0.8)' })
  @IsOptional()
  @IsString()
  email?: string;
}

export class TransactionBegunDto {
  @ApiProperty({ type: String, example: 'tx_repo_0b7c…' }) id: string;
  @ApiProperty({ type: String, description: '= id' }) transaction_id: string;
  @ApiProperty({ type: String }) repo_id: string;
  @ApiProperty({ type: String, format: 'date-time' }) created_at: string;
  @ApiProperty({ type: String }) branch: string;
  @ApiProperty({ type: String, nullable: true, description: 'null on an unborn branch' })
  base_commit: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) expires_at: string;
}

export class TransactionFileDto {
  @ApiProperty({ type: String }) path: string;
  @ApiProperty({ enum: ['add', 'remove'] }) action: 'add' | 'remove';
  @ApiProperty({ type: Number }) size: number;
}

export class TransactionInfoDto extends TransactionBegunDto {
  @ApiProperty({ enum: ['open', 'validated'] }) state: 'open' | 'validated';
  @ApiProperty({ type: [TransactionFileDto] }) files: TransactionFileDto[];
  @ApiProperty({ type: String, format: 'date-time' }) updated_at: string;
}

export class TransactionValidDto {
  @ApiProperty({ type: String, example: 'valid' }) status: string;
  @ApiProperty({ type: String, example: 'transaction is valid' }) message: string;
  @ApiProperty({ type: Boolean }) valid: boolean;
  @ApiProperty({ type: [Object], example: [] }) errors: object[];
}

/** A transaction's description with the repository it belongs to. */
export interface RepoTransaction {
  readonly repoId: string;
  readonly info: TransactionInfo;
}

const iso = (ms: number): string => new Date(ms).toISOString();

export function toTransactionBegun({ repoId, info }: RepoTransaction): TransactionBegunDto {
  return {
    id: info.id,
    transaction_id: info.id,
    repo_id: repoId,
    created_at: iso(info.createdAt),
    branch: info.branch,
    base_commit: info.baseCommit,
    expires_at: iso(info.expiresAt),
  };
}

function toFile(file: TransactionFile): TransactionFileDto {
  return { path: file.path, action: file.action, size: file.size };
}

export function toTransactionInfo(tx: RepoTransaction): TransactionInfoDto {
  return {
    ...toTransactionBegun(tx),
    state: tx.info.state,
    files: tx.info.files.map(toFile),
    updated_at: iso(tx.info.updatedAt),
  };
}

export function toTransactionAdded(path: string): SuccessDataResponseDto {
  return toSuccessDataResponse('v1', 'added', `file ${path} added to transaction`);
}

export function toTransactionRemoved(path: string): SuccessDataResponseDto {
  return toSuccessDataResponse('v1', 'removed', `file ${path} removed in transaction`);
}

export function toTransactionValid(): TransactionValidDto {
  return { status: 'valid', message: 'transaction is valid', valid: true, errors: [] };
}

export function toTransactionRolledBack(): SuccessDataResponseDto {
  return toSuccessDataResponse('v1', 'rolled back', 'transaction rolled back');
}
