/**
 * Body of GET …/show/:commit (api-contract.md §3.2): the commit, its tree, and its real changes
 * against its first parent (the empty tree for a root commit), sorted by path.
 */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { FileDiffDto } from '../../files/dto/file-diff.dto';
import { encodeContent } from '../../files/file-content';
import { CommitResponseDto } from './commit-response.dto';

export class ShowFileDto {
  @ApiProperty({ type: String })
  path: string;

  @ApiProperty({ type: String, enum: ['added', 'modified', 'deleted', 'renamed'] })
  status: 'added' | 'modified' | 'deleted' | 'renamed';

  @ApiProperty({ type: 'integer', description: 'Byte length of the new version (0 for deletions)' })
  size: number;

  @ApiPropertyOptional({
    type: String,
    description: 'New content ("" for deletions); only with include_content',
  })
  content?: string;

  @ApiPropertyOptional({ type: String, enum: ['utf-8', 'base64'] })
  encoding?: 'utf-8' | 'base64';
}

export class ShowDiffDto {
  @ApiProperty({ type: [FileDiffDto] })
  files: FileDiffDto[];
}

export class ShowResponseDto {
  @ApiProperty({ type: CommitResponseDto })
  commit: CommitResponseDto;

  @ApiProperty({ type: String, description: 'Tree hash' })
  tree: string;

  @ApiProperty({ type: [ShowFileDto] })
  files: ShowFileDto[];

  @ApiProperty({ type: ShowDiffDto })
  diff: ShowDiffDto;
}

export function toShowResponse(
  commit: CommitResponseDto,
  files: ShowFileDto[],
  diffs: FileDiffDto[],
): ShowResponseDto {
  return { commit, tree: commit.tree, files, diff: { files: diffs } };
}

/** One changed file; `content` is the new version (empty for a deletion). */
export function toShowFile(
  path: string,
  status: ShowFileDto['status'],
  content: Uint8Array,
  includeContent: boolean,
): ShowFileDto {
  const file = { path, status, size: content.length };
  return includeContent ? { ...file, ...encodeContent(content) } : file;
}
