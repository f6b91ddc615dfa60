/** Body of GET …/log (api-contract.md §3.2): newest first; `total` = `count` = this page. */
import { ApiProperty } from '@nestjs/swagger';
import { CommitResponseDto } from './commit-response.dto';

export class LogResponseDto {
  @ApiProperty({ type: [CommitResponseDto] })
  commits: CommitResponseDto[];

  @ApiProperty({ type: 'integer', description: 'Commits on this page (same as count)' })
  total: number;

  @ApiProperty({ type: 'integer', description: 'Commits on this page' })
  count: number;

  @ApiProperty({ type: Boolean, description: 'More commits follow this page' })
  has_more: boolean;
}

export function toLogResponse(commits: CommitResponseDto[], hasMore: boolean): LogResponseDto {
  return { commits, total: commits.length, count: commits.length, has_more: hasMore };
}
