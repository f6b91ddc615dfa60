/** The query of GET /api/v1/repos/:repo_id/export (api-contract.md §11.2). */
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, MaxLength } from 'class-validator';
import { BooleanQuery } from '../../../http/query-values';

export class ExportQueryDto {
  @ApiPropertyOptional({ enum: ['bundle', 'tar', 'archive'], default: 'bundle' })
  @IsOptional()
  @IsString()
  format?: string;

  @ApiPropertyOptional({
    type: String,
    description: 'bundle: one ref instead of all; archive: the tree of this revision (HEAD)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  ref?: string;

  @ApiPropertyOptional({ type: Boolean, description: 'tar and archive: gzip the tar' })
  @IsOptional()
  @BooleanQuery()
  @IsBoolean()
  gzip?: boolean;

  @ApiPropertyOptional({ type: Boolean, description: 'Run as a job; download it from the job' })
  @IsOptional()
  @BooleanQuery()
  @IsBoolean()
  async?: boolean;
}
