/** Query of GET …/show/:commit and …/commits/:commit (api-contract.md §3.2). */
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';
import { BooleanQuery } from '../../../http/query-values';

export class ShowQueryDto {
  @ApiPropertyOptional({
    type: Boolean,
    description: 'Include each changed file’s new content ("" for deletions)',
  })
  @IsOptional()
  @BooleanQuery()
  @IsBoolean()
  include_content?: boolean;
}
