/** Body of GET /health/live. */
import { ApiProperty } from '@nestjs/swagger';

export class LiveResponseDto {
  @ApiProperty({ type: String, enum: ['alive'] })
  status: 'alive';

  @ApiProperty({ type: String, format: 'date-time' })
  timestamp: string;
}
