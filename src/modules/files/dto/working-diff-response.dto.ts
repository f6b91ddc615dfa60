/** Body of GET …/diff/working (api-contract.md §3.3). */
import { ApiProperty } from '@nestjs/swagger';
import { FileDiffDto } from './file-diff.dto';

export class WorkingDiffResponseDto {
  @ApiProperty({
    type: [FileDiffDto],
    description: 'Index against HEAD (the empty tree when unborn)',
  })
  staged: FileDiffDto[];

  @ApiProperty({
    type: [FileDiffDto],
    description: 'Working tree against the index, tracked files',
  })
  unstaged: FileDiffDto[];

  @ApiProperty({ type: 'integer' })
  total: number;

  @ApiProperty({ type: [FileDiffDto], description: 'staged followed by unstaged' })
  files: FileDiffDto[];
}

export function toWorkingDiffResponse(
  staged: FileDiffDto[],
  unstaged: FileDiffDto[],
): WorkingDiffResponseDto {
  return {
    staged,
    unstaged,
    total: staged.length + unstaged.length,
    files: [...staged, ...unstaged],
  };
}
