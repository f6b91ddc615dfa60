/** Cherry-pick, revert, reset and rebase (api-contract.md §3.6). */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Min, ValidateIf } from 'class-validator';
import {
  RESET_MODES,
  signatureTimeIso,
  type PickCommitResult,
  type RebaseResult,
  type ResetMode,
  type ResetResult,
} from '../../../../core';
import { CommitResponseDto, toCommitResponse } from '../../dto/commit-response.dto';

export class PickCommitDto {
  @ApiProperty({ type: String, description: 'Any ref naming the commit' })
  @IsString()
  commit: string;

  @ApiPropertyOptional({
    type: Number,
    minimum: 1,
    description: 'Parent number; required for a merge commit',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  mainline?: number;
}

export class ResetDto {
  @ApiPropertyOptional({
    type: String,
    description: 'Where to move the current branch (required unless commit is given)',
  })
  @ValidateIf((body: ResetDto) => body.commit === undefined || body.target !== undefined)
  @IsString()
  target?: string;

  @ApiPropertyOptional({ type: String, description: 'Alias of target' })
  @IsOptional()
  @IsString()
  commit?: string;

  @ApiPropertyOptional({ enum: RESET_MODES, default: 'mixed' })
  @IsOptional()
  @IsIn(RESET_MODES)
  mode?: ResetMode;
}

export class RebaseDto {
  @ApiProperty({ type: String, description: 'Any ref' })
  @IsString()
  onto: string;
}

class PickResponseBase {
  @ApiProperty({ type: String }) new_commit: string;
  @ApiProperty({ type: String }) message: string;
  @ApiProperty({ type: String }) author: string;
  @ApiProperty({ type: String }) email: string;
  @ApiProperty({ type: String, format: 'date-time' }) timestamp: string;
  @ApiProperty({ type: [String] }) files_changed: string[];
  @ApiProperty({ type: CommitResponseDto }) commit: CommitResponseDto;
}

export class CherryPickResponseDto extends PickResponseBase {
  @ApiProperty({ type: String, description: 'The commit as sent' }) original_commit: string;
}

export class RevertResponseDto extends PickResponseBase {
  @ApiProperty({ type: String, description: 'The commit as sent' }) reverted_commit: string;
}

export class ResetResponseDto {
  @ApiProperty({ type: String }) old_head: string;
  @ApiProperty({ type: String }) new_head: string;
  @ApiProperty({ enum: RESET_MODES }) mode: ResetMode;
}

export class RebaseResponseDto {
  @ApiProperty({ type: String }) old_head: string;
  @ApiProperty({ type: String }) new_head: string;
  @ApiProperty({ type: Number }) rebased_count: number;
  @ApiProperty({ type: [String], description: 'New commits, oldest first' }) commits: string[];
}

/** A pick or revert with the commit expression the request sent. */
export interface Picked {
  readonly sent: string;
  readonly result: PickCommitResult;
}

function toPickBase({ result }: Picked): PickResponseBase {
  const { commit } = result;
  return {
    new_commit: result.newCommit,
    message: commit.message.replace(/\n$/, ''),
    author: commit.author.name,
    email: commit.author.email,
    timestamp: signatureTimeIso(commit.author),
    files_changed: [...result.filesChanged],
    commit: toCommitResponse(result.newCommit, commit),
  };
}

export function toCherryPickResponse(picked: Picked): CherryPickResponseDto {
  return { original_commit: picked.sent, ...toPickBase(picked) };
}

export function toRevertResponse(picked: Picked): RevertResponseDto {
  return { reverted_commit: picked.sent, ...toPickBase(picked) };
}

export function toResetResponse(result: ResetResult): ResetResponseDto {
  return { old_head: result.oldHead, new_head: result.newHead, mode: result.mode };
}

export function toRebaseResponse(result: RebaseResult): RebaseResponseDto {
  return {
    old_head: result.oldHead,
    new_head: result.newHead,
    rebased_count: result.rebasedCount,
    commits: [...result.commits],
  };
}
