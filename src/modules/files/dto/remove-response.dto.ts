/** Body of DELETE …/remove/*path on v1 (api-contract.md §3.3). */
import { ApiProperty } from '@nestjs/swagger';
import { SuccessResponseDto } from '../../../http/success-response.dto';

export class RemovedFilesDto {
  @ApiProperty({ type: String })
  path: string;

  @ApiProperty({ type: [String], description: 'Every file removed, sorted' })
  removed: string[];
}

export class RemoveResponseDto extends SuccessResponseDto {
  @ApiProperty({ type: RemovedFilesDto })
  data: RemovedFilesDto;
}

export function toRemoveResponse(path: string, removed: string[]): RemoveResponseDto {
  return {
    status: 'removed',
    message: `file '${path}' removed from staging`,
    data: { path, removed },
  };
}
