/** Body of GET …/diff/file/*path (api-contract.md §3.3). */
import { ApiProperty } from '@nestjs/swagger';

export class SingleFileDiffResponseDto {
  @ApiProperty({ type: String })
  path: string;

  @ApiProperty({ type: String })
  from: string;

  @ApiProperty({ type: String })
  to: string;

  @ApiProperty({ type: String, description: 'git unified patch of the file ("" when unchanged)' })
  diff: string;

  @ApiProperty({ type: 'integer' })
  additions: number;

  @ApiProperty({ type: 'integer' })
  deletions: number;
}

export function toSingleFileDiffResponse(
  path: string,
  from: string,
  to: string,
  patch: { readonly text: string; readonly additions: number; readonly deletions: number },
): SingleFileDiffResponseDto {
  return {
    path,
    from,
    to,
    diff: patch.text,
    additions: patch.additions,
    deletions: patch.deletions,
  };
}
