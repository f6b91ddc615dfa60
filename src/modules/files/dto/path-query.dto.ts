/** v2's `?path=` (api-contract.md §4); a missing path is 400 MISSING_PATH, decided by the service. */
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';

export class PathQueryDto {
  @ApiPropertyOptional({ type: String, description: 'File path (required)', example: 'a.txt' })
  @IsOptional()
  @IsString()
  path?: string;
}

export class PathRefQueryDto extends PathQueryDto {
  @ApiPropertyOptional({
    type: String,
    description: 'Read the committed tree of this revision instead of the working tree',
  })
  @IsOptional()
  @IsString()
  ref?: string;
}
