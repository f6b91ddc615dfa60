/** The flat error body every failing route answers with (api-contract.md §0.2). */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ErrorResponseDto {
  @ApiProperty({
    type: String,
    description: 'Human-readable message',
    example: 'endpoint not found: GET /x',
  })
  error: string;

  @ApiProperty({
    type: String,
    description: 'Stable machine code (§14)',
    example: 'ENDPOINT_NOT_FOUND',
  })
  code: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'Structured context, only where the code documents it',
  })
  details?: Record<string, unknown>;
}
