/** Body of POST …/add and v2 POST …/files (api-contract.md §3.2, §0.4). */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString } from 'class-validator';
import { CONTENT_ENCODINGS, type ContentEncoding } from '../file-content';

export const ADDABLE_MODES = ['100644', '100755', '120000'] as const;

export class AddFileDto {
  @ApiProperty({ type: String, description: 'Relative path, "/"-separated', example: 'src/app.ts' })
  @IsString()
  path: string;

  @ApiProperty({ type: String, description: 'File content ("" allowed)', example: 'hello\n' })
  @IsString()
  content: string;

  @ApiPropertyOptional({ type: String, enum: CONTENT_ENCODINGS, default: 'utf-8' })
  @IsOptional()
  @IsIn(CONTENT_ENCODINGS)
  encoding?: ContentEncoding;

  @ApiPropertyOptional({
    type: String,
    enum: ADDABLE_MODES,
    description: 'Default: the path’s current mode, else 100644; 120000 = symlink to content',
  })
  @IsOptional()
  @IsIn(ADDABLE_MODES)
  mode?: (typeof ADDABLE_MODES)[number];
}
