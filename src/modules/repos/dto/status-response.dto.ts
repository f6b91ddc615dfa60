/** StatusResponse (api-contract.md §1): every list sorted by path. */
import { ApiProperty } from '@nestjs/swagger';
import type { RepoStatus } from '../../../core';

export class StatusResponseDto {
  @ApiProperty({ type: String, description: 'Current branch, "HEAD" when detached' })
  branch: string;

  @ApiProperty({ type: [String], description: 'Index differs from HEAD: added, modified, deleted' })
  staged: string[];

  @ApiProperty({ type: [String], description: 'The staged deletions among staged' })
  removed: string[];

  @ApiProperty({ type: [String], description: 'Tracked; the working tree differs from the index' })
  modified: string[];

  @ApiProperty({ type: [String], description: 'In the working tree, not in the index' })
  untracked: string[];

  @ApiProperty({ type: Boolean, description: 'All lists empty' })
  clean: boolean;

  @ApiProperty({ type: [String], description: 'Sorted union of staged, modified, untracked' })
  changes: string[];
}

export function toStatusResponse(status: RepoStatus): StatusResponseDto {
  return {
    branch: status.branch,
    staged: [...status.staged],
    removed: [...status.removed],
    modified: [...status.modified],
    untracked: [...status.untracked],
    clean: status.clean,
    changes: [...status.changes],
  };
}
