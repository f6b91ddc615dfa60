/** BlameLine (api-contract.md §1) and the body of GET …/blame/*path (§3.3). */
import { ApiProperty } from '@nestjs/swagger';
import { messageSubject, signatureTimeIso, type BlameLine, type Commit } from '../../../core';

export class BlameLineDto {
  @ApiProperty({ type: 'integer', description: '1-based' })
  line_number: number;

  @ApiProperty({ type: String, description: 'The line without its newline' })
  content: string;

  @ApiProperty({ type: String })
  commit_hash: string;

  @ApiProperty({ type: String })
  author: string;

  @ApiProperty({ type: String })
  email: string;

  @ApiProperty({ type: String, format: 'date-time' })
  timestamp: string;

  @ApiProperty({ type: String, description: 'The commit’s first line' })
  message: string;
}

export class BlameResponseDto {
  @ApiProperty({ type: String })
  path: string;

  @ApiProperty({ type: String })
  ref: string;

  @ApiProperty({ type: [BlameLineDto] })
  lines: BlameLineDto[];

  @ApiProperty({ type: 'integer', description: 'Lines returned' })
  total: number;
}

export function toBlameLine(line: BlameLine, commit: Commit): BlameLineDto {
  return {
    line_number: line.lineNumber,
    content: line.content,
    commit_hash: line.commit,
    author: commit.author.name,
    email: commit.author.email,
    timestamp: signatureTimeIso(commit.author),
    message: messageSubject(commit.message),
  };
}

export function toBlameResponse(
  path: string,
  ref: string,
  lines: BlameLineDto[],
): BlameResponseDto {
  return { path, ref, lines, total: lines.length };
}
