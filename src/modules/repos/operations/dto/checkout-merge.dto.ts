/** Checkout and merge requests and responses (api-contract.md §3.4). */
import type { ApiVersion } from '../../../../http/api-version';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString } from 'class-validator';
import type { CheckoutResult, MergeBranchResult } from '../../../../core';
import { toSuccessDataResponse, type SuccessDataResponseDto } from './success-data-response.dto';

export class CheckoutDto {
  @ApiProperty({ type: String, description: 'A branch, or a commit ref (detaches HEAD)' })
  @IsString()
  branch: string;

  @ApiPropertyOptional({ type: Boolean, description: 'Discard local changes in the way' })
  @IsOptional()
  @IsBoolean()
  force?: boolean;
}

export class MergeDto {
  @ApiProperty({ type: String, description: 'Any ref' })
  @IsString()
  from: string;

  @ApiProperty({ type: String, description: 'The branch merged into (becomes current)' })
  @IsString()
  to: string;

  @ApiPropertyOptional({ type: String })
  @IsOptional()
  @IsString()
  message?: string;

  @ApiPropertyOptional({ type: Boolean, description: 'Always create a merge commit' })
  @IsOptional()
  @IsBoolean()
  no_ff?: boolean;
}

export interface CheckedOut {
  readonly requested: string;
  readonly result: CheckoutResult;
}

export interface Merged {
  readonly from: string;
  readonly to: string;
  readonly result: MergeBranchResult;
}

export function toCheckedOut(
  family: ApiVersion,
  { requested, result }: CheckedOut,
): SuccessDataResponseDto {
  const message = `switched to branch '${requested}'`;
  return family === 'v1'
    ? toSuccessDataResponse(family, 'checked out', message, {
        branch: result.branch ?? requested,
        commit: result.oid ?? '',
      })
    : toSuccessDataResponse(family, 'checked out', message);
}

export function toMerged(family: ApiVersion, { from, to, result }: Merged): SuccessDataResponseDto {
  const message = `merged '${from}' into '${to}' (commit: ${result.commit.slice(0, 7)})`;
  return toSuccessDataResponse(family, 'merged', message, {
    from,
    to,
    commit: result.commit,
    type: result.type,
  });
}
