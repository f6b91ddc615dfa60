/** Query of GET …/diff/file/*path (api-contract.md §3.3). */
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';

export class FileDiffQueryDto {
  @ApiPropertyOptional({ type: String, default: 'HEAD~1' })
  @IsOptional()
  @IsString()
  from?: string;

  @ApiPropertyOptional({ type: String, default: 'HEAD' })
  @IsOptional()
  @IsString()
  to?: string;
}
