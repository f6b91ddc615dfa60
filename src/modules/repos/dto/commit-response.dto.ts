/** CommitResponse (api-contract.md §1) and its mapper: git times are RFC3339 UTC seconds. */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { signatureTimeIso, type Commit, type Oid } from '../../../core';

export class CommitSignatureDto {
  @ApiProperty({ type: String })
  name: string;

  @ApiProperty({ type: String })
  email: string;

  @ApiProperty({ type: String, format: 'date-time', example: '2025-08-12T14:41:34Z' })
  timestamp: string;
}

export class CommitResponseDto {
  @ApiProperty({ type: String, example: '9fceb02d0ae598e95dc970b74767f19372d61af8' })
  hash: string;

  @ApiProperty({ type: String, description: 'Full message without the final newline' })
  message: string;

  @ApiProperty({ type: String, description: 'Author name' })
  author: string;

  @ApiProperty({ type: String, description: 'Author email' })
  email: string;

  @ApiProperty({ type: String, format: 'date-time', description: 'Author time' })
  timestamp: string;

  @ApiPropertyOptional({ type: String, description: 'First parent; omitted for a root commit' })
  parent?: string;

  @ApiProperty({ type: [String], description: 'Parents ([] for a root commit)' })
  parents: string[];

  @ApiProperty({ type: String, description: 'Tree hash' })
  tree: string;

  @ApiProperty({ type: CommitSignatureDto })
  committer: CommitSignatureDto;
}

export function toCommitResponse(oid: Oid, commit: Commit): CommitResponseDto {
  const [parent] = commit.parents;
  return {
    hash: oid,
    message: commit.message.endsWith('\n') ? commit.message.slice(0, -1) : commit.message,
    author: commit.author.name,
    email: commit.author.email,
    timestamp: signatureTimeIso(commit.author),
    ...(parent === undefined ? {} : { parent }),
    parents: [...commit.parents],
    tree: commit.tree,
    committer: {
      name: commit.committer.name,
      email: commit.committer.email,
      timestamp: signatureTimeIso(commit.committer),
    },
  };
}
