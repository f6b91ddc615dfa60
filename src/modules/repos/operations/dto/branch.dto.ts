/** Branch requests and responses (api-contract.md §3.4). */
import type { ApiVersion } from '../../../../http/api-version';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import type { BranchInfo, Oid } from '../../../../core';
import { toSuccessDataResponse, type SuccessDataResponseDto } from './success-data-response.dto';

export class CreateBranchDto {
  @ApiProperty({ type: String, example: 'feature/x' })
  @IsString()
  name: string;

  @ApiPropertyOptional({ type: String, description: 'Any ref; default HEAD', example: 'main' })
  @IsOptional()
  @IsString()
  from?: string;
}

export class BranchResponseDto {
  @ApiProperty({ type: String, example: 'main' }) name: string;
  @ApiProperty({ type: String, description: 'Tip hash; "" for the unborn default branch' })
  commit: string;
  @ApiProperty({ type: Boolean }) is_current: boolean;
}

export class BranchListResponseDto {
  @ApiProperty({ type: [BranchResponseDto], description: 'Sorted by name' })
  branches: BranchResponseDto[];
  @ApiProperty({ type: String, description: 'Current branch; "HEAD" when detached' })
  current: string;
  @ApiProperty({ type: Number }) count: number;
}

/** What creating a branch did. */
export interface BranchCreated {
  readonly branch: string;
  readonly from: string;
  readonly commit: Oid;
}

/** What deleting a branch did. */
export interface BranchDeleted {
  readonly branch: string;
  readonly commit: Oid;
}

export function toBranchResponse(info: BranchInfo): BranchResponseDto {
  return { name: info.name, commit: info.commit ?? '', is_current: info.current };
}

/** Every branch and the current one (null when detached). */
export interface BranchListing {
  readonly branches: readonly BranchInfo[];
  readonly current: string | null;
}

export function toBranchList({ branches, current }: BranchListing): BranchListResponseDto {
  return {
    branches: branches.map(toBranchResponse),
    current: current ?? 'HEAD',
    count: branches.length,
  };
}

export function toBranchCreated(
  family: ApiVersion,
  created: BranchCreated,
): SuccessDataResponseDto {
  const message = `branch '${created.branch}' created`;
  return family === 'v1'
    ? toSuccessDataResponse(family, 'created', message, { ...created })
    : toSuccessDataResponse(family, 'created', message);
}

export function toBranchDeleted(
  family: ApiVersion,
  deleted: BranchDeleted,
): SuccessDataResponseDto {
  const message = `branch '${deleted.branch}' deleted`;
  return family === 'v1'
    ? toSuccessDataResponse(family, 'deleted', message, { ...deleted })
    : toSuccessDataResponse(family, 'deleted', message);
}
