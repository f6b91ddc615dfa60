/** The JSON body of POST /api/v1/repos/:repo_id/import (api-contract.md §11.2, sources b and c). */
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsArray, IsOptional, IsString, MaxLength } from 'class-validator';

export class ImportRequestDto {
  @ApiPropertyOptional({
    enum: ['path', 'url'],
    description: 'Bundles are sent as application/x-git-bundle or multipart/form-data instead',
  })
  @IsOptional()
  @IsString()
  source?: string;

  @ApiPropertyOptional({ type: String, description: 'source "path": a bare repository directory' })
  @IsOptional()
  @IsString()
  @MaxLength(4096)
  path?: string;

  @ApiPropertyOptional({ type: String, description: 'source "url": https (http if allowed)' })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  url?: string;

  @ApiPropertyOptional({ type: String })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  username?: string;

  @ApiPropertyOptional({ type: String, description: 'Used for this import only; never stored' })
  @IsOptional()
  @IsString()
  @MaxLength(4096)
  token?: string;

  @ApiPropertyOptional({
    type: [String],
    description: 'Refs to import (full names or branch/tag names); default all heads and tags',
  })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  refs?: string[];
}
