/** Body of POST …/move and v2 POST …/files/move (api-contract.md §3.3). */
import { ApiProperty } from '@nestjs/swagger';
import { IsString } from 'class-validator';

export class MoveFileDto {
  @ApiProperty({ type: String, description: 'Source file or directory', example: 'a.txt' })
  @IsString()
  from: string;

  @ApiProperty({ type: String, description: 'Destination path', example: 'docs/a.txt' })
  @IsString()
  to: string;
}
