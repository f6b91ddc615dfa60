/** Body of POST …/write and v2 PUT …/files (api-contract.md §3.3, §0.4). */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString } from 'class-validator';
import { CONTENT_ENCODINGS, type ContentEncoding } from '../file-content';

export class WriteFileDto {
  @ApiProperty({ type: String, description: 'Relative path, "/"-separated', example: 'notes.txt' })
  @IsString()
  path: string;

  @ApiProperty({ type: String, description: 'File content ("" allowed)', example: 'draft\n' })
  @IsString()
  content: string;

  @ApiPropertyOptional({ type: String, enum: CONTENT_ENCODINGS, default: 'utf-8' })
  @IsOptional()
  @IsIn(CONTENT_ENCODINGS)
  encoding?: ContentEncoding;
}
