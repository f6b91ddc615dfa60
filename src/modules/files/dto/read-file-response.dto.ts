/** ReadFileResponse (api-contract.md §1) and its mapper. */
import { ApiProperty } from '@nestjs/swagger';
import { apiMode, type FileContent } from '../../../core';
import { encodeContent } from '../file-content';

export class ReadFileResponseDto {
  @ApiProperty({ type: String })
  path: string;

  @ApiProperty({ type: String, description: 'UTF-8 text, or base64 (see encoding)' })
  content: string;

  @ApiProperty({ type: String, enum: ['utf-8', 'base64'] })
  encoding: 'utf-8' | 'base64';

  @ApiProperty({ type: 'integer', description: 'Byte length of the decoded content' })
  size: number;

  @ApiProperty({ type: String, example: '100644' })
  mode: string;

  @ApiProperty({ type: String, description: 'Blob hash' })
  hash: string;
}

export function toReadFileResponse(file: FileContent): ReadFileResponseDto {
  return {
    path: file.path,
    ...encodeContent(file.content),
    size: file.content.length,
    mode: apiMode(file.mode),
    hash: file.oid,
  };
}
