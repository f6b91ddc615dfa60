/** Body of POST …/move on v1 (api-contract.md §3.3). */
import { ApiProperty } from '@nestjs/swagger';
import { SuccessResponseDto } from '../../../http/success-response.dto';

export class MovedFileDto {
  @ApiProperty({ type: String })
  from: string;

  @ApiProperty({ type: String })
  to: string;
}

export class MoveResponseDto extends SuccessResponseDto {
  @ApiProperty({ type: MovedFileDto })
  data: MovedFileDto;
}

export function toMoveResponse(from: string, to: string): MoveResponseDto {
  return { status: 'moved', message: `file moved from '${from}' to '${to}'`, data: { from, to } };
}
