/** SuccessResponse with its optional `data` (api-contract.md §1, §0.4), for routes that carry it. */
import { ApiPropertyOptional } from '@nestjs/swagger';
import type { ApiVersion } from '../../../../http/api-version';
import { SuccessResponseDto } from '../../../../http/success-response.dto';

export class SuccessDataResponseDto extends SuccessResponseDto {
  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  data?: Record<string, unknown>;
}

/** v1 says `verb`, v2 says `""`; `data` only when given. */
export function toSuccessDataResponse(
  version: ApiVersion,
  verb: string,
  message: string,
  data?: Record<string, unknown>,
): SuccessDataResponseDto {
  const status = version === 'v1' ? verb : '';
  return data === undefined ? { status, message } : { status, message, data };
}
