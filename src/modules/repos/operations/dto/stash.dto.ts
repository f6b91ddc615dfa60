/** Stash requests and responses (api-contract.md §3.5, §4). */
import type { ApiVersion } from '../../../../http/api-version';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString } from 'class-validator';
import { signatureTimeIso, type StashApplyResult, type StashEntry } from '../../../../core';
import { toSuccessDataResponse, type SuccessDataResponseDto } from './success-data-response.dto';
import { AuthorField, CommitAuthorDto } from '../../dto/author-field.decorator';

export class StashPushDto {
  @ApiPropertyOptional({
    type: String,
    description: 'Default "WIP on <branch>: <7 hex> <subject>"',
  })
  @IsOptional()
  @IsString()
  message?: string;

  @ApiPropertyOptional({ type: Boolean, description: 'Also stash untracked files' })
  @IsOptional()
  @IsBoolean()
  include_untracked?: boolean;

  @AuthorField('Identity name, or {name, email} (§0.8)')
  author?: string | CommitAuthorDto;

  @ApiPropertyOptional({ type: String, description: 'Identity email (§0.8)' })
  @IsOptional()
  @IsString()
  email?: string;
}

export class StashApplyDto {
  @ApiPropertyOptional({ type: Boolean, description: 'Drop the entry once applied (pop)' })
  @IsOptional()
  @IsBoolean()
  drop?: boolean;
}

export class StashResponseDto {
  @ApiProperty({ type: String, description: 'v1: stash@{N}; v2: the uuid' }) id: string;
  @ApiProperty({ type: Number, description: '0 = newest' }) index: number;
  @ApiProperty({ type: String, format: 'uuid' }) uuid: string;
  @ApiProperty({ type: String }) message: string;
  @ApiProperty({ type: String }) author: string;
  @ApiProperty({ type: String }) email: string;
  @ApiProperty({ type: String, format: 'date-time' }) timestamp: string;
  @ApiProperty({ type: [String], description: 'Stashed paths, sorted' }) files: string[];
  @ApiPropertyOptional({ type: String, description: 'Absent for a detached HEAD' }) branch?: string;
  @ApiProperty({ type: String, description: 'The stash commit' }) commit: string;
}

export class StashListResponseDto {
  @ApiProperty({ type: [StashResponseDto], description: 'Newest first' })
  stashes: StashResponseDto[];
  @ApiProperty({ type: Number }) count: number;
}

export function toStashResponse(family: ApiVersion, entry: StashEntry): StashResponseDto {
  return {
    id: family === 'v1' ? entry.id : entry.uuid,
    index: entry.index,
    uuid: entry.uuid,
    message: entry.message,
    author: entry.author.name,
    email: entry.author.email,
    timestamp: signatureTimeIso(entry.author),
    files: [...entry.files],
    ...(entry.branch === null ? {} : { branch: entry.branch }),
    commit: entry.oid,
  };
}

export function toStashList(
  family: ApiVersion,
  entries: readonly StashEntry[],
): StashListResponseDto {
  return { stashes: entries.map((entry) => toStashResponse(family, entry)), count: entries.length };
}

export function toStashApplied(
  family: ApiVersion,
  { entry, dropped }: StashApplyResult,
): SuccessDataResponseDto {
  if (family === 'v2')
    return toSuccessDataResponse(family, 'applied', dropped ? 'stash popped' : 'stash applied');
  return toSuccessDataResponse(family, 'applied', `stash ${entry.id} applied successfully`, {
    id: entry.id,
    uuid: entry.uuid,
    dropped,
  });
}

export function toStashDropped(family: ApiVersion, entry: StashEntry): SuccessDataResponseDto {
  return family === 'v1'
    ? toSuccessDataResponse(family, 'dropped', `stash ${entry.id} dropped successfully`)
    : toSuccessDataResponse(family, 'dropped', `stash '${entry.uuid.slice(0, 7)}' dropped`);
}
