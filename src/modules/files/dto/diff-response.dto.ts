/** Body of the tree diff routes (api-contract.md §3.3). */
import { ApiProperty } from '@nestjs/swagger';
import { FileDiffDto } from './file-diff.dto';
import { DIFF_FORMATS, type DiffFormat } from './diff-query.dto';

export class DiffResponseDto {
  @ApiProperty({ type: String })
  from: string;

  @ApiProperty({ type: String })
  to: string;

  @ApiProperty({ type: String, enum: DIFF_FORMATS })
  format: DiffFormat;

  @ApiProperty({ type: String, description: 'Unified patch, raw lines, or one path per line' })
  diff: string;

  @ApiProperty({ type: [FileDiffDto], description: 'Sorted by path; patch "" unless unified' })
  files: FileDiffDto[];
}

export function toDiffResponse(
  from: string,
  to: string,
  format: DiffFormat,
  diff: string,
  files: FileDiffDto[],
): DiffResponseDto {
  return { from, to, format, diff, files };
}
