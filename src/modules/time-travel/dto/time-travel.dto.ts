/** Time-travel queries and responses (api-contract.md §9). */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import type { Commit, FileAtTime, TimeSnapshot } from '../../../core';
import { CONTENT_ENCODINGS, encodeContent, type ContentEncoding } from '../../files/file-content';
import { CommitResponseDto, toCommitResponse } from '../../repos/dto/commit-response.dto';

export class TimeTravelRefQueryDto {
  @ApiPropertyOptional({ type: String, description: 'History to search; default HEAD' })
  @IsOptional()
  @IsString()
  ref?: string;
}

export class TimeTravelAliasQueryDto extends TimeTravelRefQueryDto {
  @ApiProperty({
    type: String,
    description: 'Unix seconds, RFC3339, "YYYY-MM-DD HH:MM:SS" or "YYYY-MM-DD"',
  })
  @IsString({ context: { code: 'INVALID_TIMESTAMP' } })
  time: string;
}

export class SnapshotDto {
  @ApiProperty({ type: CommitResponseDto }) commit: CommitResponseDto;
  @ApiProperty({ type: Number, description: 'Blobs in the whole tree' }) files_count: number;
  @ApiProperty({ type: String }) tree: string;
  @ApiProperty({ type: String }) ref: string;
}

export class TimeTravelResponseDto {
  @ApiProperty({ type: Number, description: 'Unix seconds of the target' }) timestamp: number;
  @ApiProperty({ type: String, format: 'date-time' }) target: string;
  @ApiProperty({ type: SnapshotDto }) snapshot: SnapshotDto;
}

export class TimeTravelFileDto {
  @ApiProperty({ type: String }) path: string;
  @ApiProperty({ type: String }) content: string;
  @ApiProperty({ type: Number, description: 'Decoded byte length' }) size: number;
  @ApiProperty({ enum: CONTENT_ENCODINGS }) encoding: ContentEncoding;
  @ApiProperty({ type: String, description: 'The snapshot commit' }) commit: string;
}

/** A snapshot with the target time and its commit, ready to map. */
export interface SnapshotView {
  readonly time: number;
  readonly snapshot: TimeSnapshot;
  readonly commit: Commit;
}

function isoSeconds(time: number): string {
  return new Date(time * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function toTimeTravelResponse({
  time,
  snapshot,
  commit,
}: SnapshotView): TimeTravelResponseDto {
  return {
    timestamp: time,
    target: isoSeconds(time),
    snapshot: {
      commit: toCommitResponse(snapshot.commit, commit),
      files_count: snapshot.filesCount,
      tree: snapshot.tree,
      ref: snapshot.ref,
    },
  };
}

export function toTimeTravelFile(file: FileAtTime): TimeTravelFileDto {
  return {
    path: file.path,
    ...encodeContent(file.content),
    size: file.content.length,
    commit: file.commit,
  };
}
