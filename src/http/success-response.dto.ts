/**
 * SuccessResponse (api-contract.md §1, §0.4): `{status, message, data?}`. On /api/v1 `status`
 * is a verb (`added`, `deleted`, ...); on /api/v2 it is `""`, as in govc.
 */
import { ApiProperty } from '@nestjs/swagger';
import type { ApiVersion } from './api-version';

export class SuccessResponseDto {
  @ApiProperty({
    type: String,
    description: 'v1: a verb such as "added"; v2: ""',
    example: 'added',
  })
  status: string;

  @ApiProperty({ type: String, description: 'Informative message', example: "file 'a.txt' added" })
  message: string;
}

/** The envelope for `version`: v1 says `verb`, v2 says `""`. */
export function toSuccessResponse(
  version: ApiVersion,
  verb: string,
  message: string,
): SuccessResponseDto {
  return { status: version === 'v1' ? verb : '', message };
}
