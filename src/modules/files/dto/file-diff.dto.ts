/** FileDiff (api-contract.md §1) and its mapper. */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { FileDiff } from '../../../core';

export class FileDiffDto {
  @ApiProperty({ type: String, description: 'Path (the new path of a rename)' })
  path: string;

  @ApiPropertyOptional({ type: String, description: 'Old path; renames only' })
  old_path?: string;

  @ApiProperty({ type: String, enum: ['added', 'modified', 'deleted', 'renamed'] })
  status: 'added' | 'modified' | 'deleted' | 'renamed';

  @ApiProperty({ type: 'integer' })
  additions: number;

  @ApiProperty({ type: 'integer' })
  deletions: number;

  @ApiProperty({
    type: String,
    description: 'git unified patch text for this file ("" unless asked for)',
  })
  patch: string;

  @ApiProperty({ type: Boolean })
  binary: boolean;
}

export function toFileDiffDto(diff: FileDiff): FileDiffDto {
  return {
    path: diff.path,
    ...(diff.oldPath === undefined ? {} : { old_path: diff.oldPath }),
    status: diff.status,
    additions: diff.additions,
    deletions: diff.deletions,
    patch: diff.patch,
    binary: diff.binary,
  };
}
