/**
 * Bodies of GET …/tree (api-contract.md §3.3, §4): entries sorted by path; `path` is "." for
 * the root. v1 repeats `entries` as `files`; v2 omits `files` and says `tree` for directories.
 */
import { ApiProperty } from '@nestjs/swagger';
import { apiMode, type ListedEntry } from '../../../core';
import type { ApiVersion } from '../../../http/api-version';

export class TreeEntryDto {
  @ApiProperty({ type: String })
  name: string;

  @ApiProperty({ type: String, description: 'Full path' })
  path: string;

  @ApiProperty({
    type: String,
    enum: ['file', 'directory', 'tree', 'symlink', 'submodule'],
    description: 'v1 says "directory", v2 "tree"',
  })
  type: string;

  @ApiProperty({ type: 'integer', description: '0 for directories and submodules' })
  size: number;

  @ApiProperty({ type: String, enum: ['100644', '100755', '120000', '040000', '160000'] })
  mode: string;

  @ApiProperty({ type: String, description: 'Blob, tree or commit hash' })
  hash: string;
}

export class V2TreeResponseDto {
  @ApiProperty({ type: String, description: '"." for the root' })
  path: string;

  @ApiProperty({ type: [TreeEntryDto] })
  entries: TreeEntryDto[];

  @ApiProperty({ type: 'integer' })
  total: number;
}

export class TreeResponseDto extends V2TreeResponseDto {
  @ApiProperty({ type: [TreeEntryDto], description: 'The same array as entries' })
  files: TreeEntryDto[];
}

export function toTreeEntry(entry: ListedEntry, version: ApiVersion): TreeEntryDto {
  return {
    name: entry.name,
    path: entry.path,
    type: entry.type === 'directory' && version === 'v2' ? 'tree' : entry.type,
    size: entry.size,
    mode: apiMode(entry.mode),
    hash: entry.oid,
  };
}

export function toTreeResponse(
  path: string,
  listed: readonly ListedEntry[],
  version: ApiVersion,
): TreeResponseDto | V2TreeResponseDto {
  const entries = listed.map((entry) => toTreeEntry(entry, version));
  const shown = path === '' ? '.' : path;
  if (version === 'v2') return { path: shown, entries, total: entries.length };
  return { path: shown, entries, files: entries, total: entries.length };
}
