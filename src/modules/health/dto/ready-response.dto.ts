/** Body of GET /health/ready, for 200 (`ready`) and 503 (`not_ready`, with a reason). */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ReadyResponseDto {
  @ApiProperty({ type: String, enum: ['ready', 'not_ready'] })
  status: 'ready' | 'not_ready';

  @ApiProperty({ type: String, format: 'date-time' })
  timestamp: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string', enum: ['ready', 'not_ready'] },
    description: 'Each component that must be up before traffic is served',
    example: { storage: 'ready' },
  })
  checks: Record<string, 'ready' | 'not_ready'>;

  @ApiPropertyOptional({ type: String, description: 'Why the instance is not ready' })
  reason?: string;
}
