/** `?ref=` of file reads (api-contract.md §3.3): without it, reads see the working tree. */
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';

export class RefQueryDto {
  @ApiPropertyOptional({
    type: String,
    description: 'Read the committed tree of this revision instead of the working tree',
  })
  @IsOptional()
  @IsString()
  ref?: string;
}
