/** Query of GET …/tree (api-contract.md §3.3, §4). */
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString } from 'class-validator';
import { BooleanQuery } from '../../../http/query-values';

export class TreeQueryDto {
  @ApiPropertyOptional({ type: Boolean, description: 'All files below, no directory entries' })
  @IsOptional()
  @BooleanQuery()
  @IsBoolean()
  recursive?: boolean;

  @ApiPropertyOptional({
    type: String,
    description: 'List this revision instead of the working tree',
  })
  @IsOptional()
  @IsString()
  ref?: string;
}

export class V2TreeQueryDto extends TreeQueryDto {
  @ApiPropertyOptional({ type: String, description: 'Directory or file to list (default: root)' })
  @IsOptional()
  @IsString()
  path?: string;
}
