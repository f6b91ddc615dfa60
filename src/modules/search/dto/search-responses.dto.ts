/** Response bodies of the search routes (api-contract.md §5.2, §5.3). */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CommitResponseDto } from '../../repos/dto/commit-response.dto';

export class MatchRangeDto {
  @ApiProperty({ type: 'integer', description: 'UTF-8 byte offset, inclusive' }) start: number;
  @ApiProperty({ type: 'integer', description: 'UTF-8 byte offset, exclusive' }) end: number;
}

class PagedDto {
  @ApiProperty({ type: 'integer', description: 'Matches before paging' }) total: number;
  @ApiProperty({ type: 'integer' }) limit: number;
  @ApiProperty({ type: 'integer' }) offset: number;
  @ApiProperty({ type: Boolean, description: 'A budget (bytes, time) ran out' }) truncated: boolean;
}

export class CommitMatchDto {
  @ApiProperty({ type: String }) hash: string;
  @ApiProperty({ enum: ['message', 'author', 'email'] }) field: string;
  @ApiProperty({ type: 'integer' }) line: number;
  @ApiProperty({ type: 'integer', description: '1-based byte column' }) column: number;
  @ApiProperty({ type: String, description: 'The matching line, ≤ 200 chars' }) preview: string;
}

export class CommitSearchResponseDto extends PagedDto {
  @ApiProperty({ type: String }) query: string;
  @ApiProperty({ type: [CommitResponseDto] }) results: CommitResponseDto[];
  @ApiProperty({ type: [CommitMatchDto] }) matches: CommitMatchDto[];
}

export class ContentResultDto {
  @ApiProperty({ type: String }) path: string;
  @ApiProperty({ type: String }) ref: string;
  @ApiProperty({ type: 'integer' }) line: number;
  @ApiProperty({ type: 'integer' }) column: number;
  @ApiProperty({ type: String }) content: string;
  @ApiProperty({ type: String, description: 'The line, at most 200 chars' }) preview: string;
  @ApiProperty({ type: [MatchRangeDto] }) matches: MatchRangeDto[];
}

export class ContentSearchResponseDto extends PagedDto {
  @ApiProperty({ type: String }) query: string;
  @ApiProperty({ type: [ContentResultDto] }) results: ContentResultDto[];
}

export class FileResultDto {
  @ApiProperty({ type: String }) path: string;
  @ApiProperty({ type: String }) ref: string;
  @ApiProperty({ type: 'integer' }) size: number;
  @ApiProperty({ type: String, example: '100644' }) mode: string;
  @ApiProperty({ type: [MatchRangeDto] }) matches: MatchRangeDto[];
}

export class FileSearchResponseDto extends PagedDto {
  @ApiProperty({ type: String }) query: string;
  @ApiProperty({ type: [FileResultDto] }) results: FileResultDto[];
}

export class GrepResultDto {
  @ApiProperty({ type: String }) path: string;
  @ApiProperty({ type: String }) ref: string;
  @ApiProperty({ type: 'integer' }) line: number;
  @ApiProperty({ type: 'integer' }) column: number;
  @ApiProperty({ type: String }) content: string;
  @ApiPropertyOptional({ type: [String] }) before?: string[];
  @ApiPropertyOptional({ type: [String] }) after?: string[];
  @ApiProperty({ type: [MatchRangeDto] }) matches: MatchRangeDto[];
}

export class GrepResponseDto extends PagedDto {
  @ApiProperty({ type: String }) pattern: string;
  @ApiProperty({ type: [GrepResultDto] }) results: GrepResultDto[];
}

export class HighlightDto {
  @ApiProperty({ type: 'integer' }) line: number;
  @ApiProperty({ type: String }) text: string;
  @ApiProperty({ type: [MatchRangeDto] }) matches: MatchRangeDto[];
}

export class FulltextResultDto {
  @ApiProperty({ type: String }) path: string;
  @ApiProperty({ type: String }) ref: string;
  @ApiProperty({ type: Number }) score: number;
  @ApiProperty({ type: 'integer' }) size: number;
  @ApiProperty({ type: [HighlightDto] }) highlights: HighlightDto[];
  @ApiPropertyOptional({ type: String }) content?: string;
}

export class IndexInfoDto {
  @ApiPropertyOptional({ type: String, nullable: true }) commit?: string | null;
  @ApiProperty({ type: 'integer' }) documents: number;
  @ApiPropertyOptional({ type: 'integer' }) terms?: number;
  @ApiProperty({ type: String, format: 'date-time' }) built_at: string;
  @ApiProperty({ type: Boolean }) stale: boolean;
}

export class FulltextResponseDto {
  @ApiProperty({ type: String }) query: string;
  @ApiProperty({ type: [FulltextResultDto] }) results: FulltextResultDto[];
  @ApiProperty({ type: 'integer' }) total: number;
  @ApiProperty({ type: 'integer' }) limit: number;
  @ApiProperty({ type: 'integer' }) offset: number;
  @ApiProperty({ type: Number }) took_ms: number;
  @ApiProperty({ type: IndexInfoDto }) index: IndexInfoDto;
}

export class SqlResponseDto {
  @ApiProperty({ type: String }) query: string;
  @ApiProperty({ type: [String] }) columns: string[];
  @ApiProperty({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    description: 'One object per row, keyed by column',
  })
  rows: Array<Record<string, unknown>>;
  @ApiProperty({ type: 'integer' }) count: number;
  @ApiProperty({ type: Boolean }) truncated: boolean;
  @ApiProperty({ type: Number }) took_ms: number;
}

export class BucketDto {
  @ApiProperty({ type: String }) key: string;
  @ApiPropertyOptional({ type: 'integer' }) count?: number;
  @ApiPropertyOptional({ type: 'integer' }) additions?: number;
  @ApiPropertyOptional({ type: 'integer' }) deletions?: number;
  @ApiPropertyOptional({ type: 'integer' }) files_changed?: number;
  @ApiPropertyOptional({ type: 'integer' }) authors?: number;
}

export class TimeRangeResponseDto {
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) from: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) to: string | null;
}

export class AggregateResponseDto {
  @ApiProperty({ type: String }) group_by: string;
  @ApiProperty({ type: TimeRangeResponseDto }) time_range: TimeRangeResponseDto;
  @ApiProperty({ type: [BucketDto] }) buckets: BucketDto[];
  @ApiProperty({ type: 'integer' }) total_commits: number;
  @ApiProperty({ type: Number }) took_ms: number;
}

export class ObjectCountsDto {
  @ApiProperty({ type: 'integer' }) blobs: number;
  @ApiProperty({ type: 'integer' }) trees: number;
  @ApiProperty({ type: 'integer' }) commits: number;
  @ApiProperty({ type: 'integer' }) tags: number;
  @ApiProperty({ type: 'integer' }) total: number;
}

export class ExtensionStatsDto {
  @ApiProperty({ type: String }) extension: string;
  @ApiProperty({ type: 'integer' }) files: number;
  @ApiProperty({ type: 'integer' }) bytes: number;
}

export class StatisticsResponseDto {
  @ApiProperty({ type: String }) repository: string;
  @ApiProperty({ type: 'integer' }) commits: number;
  @ApiProperty({ type: 'integer' }) branches: number;
  @ApiProperty({ type: 'integer' }) tags: number;
  @ApiProperty({ type: 'integer' }) files: number;
  @ApiProperty({ type: 'integer' }) total_size: number;
  @ApiProperty({ type: ObjectCountsDto }) objects: ObjectCountsDto;
  @ApiProperty({ type: 'integer' }) authors: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) first_commit: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) last_commit: string | null;
  @ApiProperty({ type: [ExtensionStatsDto] }) extensions: ExtensionStatsDto[];
  @ApiProperty({ type: IndexInfoDto }) index: IndexInfoDto;
}

export class SuggestionDto {
  @ApiProperty({ type: String }) text: string;
  @ApiProperty({ enum: ['term', 'path', 'author', 'ref'] }) type: string;
  @ApiProperty({ type: Number }) score: number;
}

export class SuggestionsResponseDto {
  @ApiProperty({ type: String }) query: string;
  @ApiProperty({ type: [SuggestionDto] }) suggestions: SuggestionDto[];
  @ApiProperty({ type: 'integer' }) count: number;
}

export class RebuildResponseDto {
  @ApiProperty({ type: String, example: 'success' }) status: string;
  @ApiProperty({ type: String }) message: string;
  @ApiProperty({ type: 'integer' }) documents: number;
  @ApiProperty({ type: 'integer' }) terms: number;
  @ApiProperty({ type: Number }) took_ms: number;
}

export class RebuildAcceptedDto {
  @ApiProperty({ type: String, example: 'accepted' }) status: string;
  @ApiProperty({ type: String, description: 'GET /api/v1/jobs/{job_id} follows it' })
  job_id: string;
}
