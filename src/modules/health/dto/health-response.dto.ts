/** Body of GET /health (api-contract.md §12), the same for 200 and 503. */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class CheckResultDto {
  @ApiProperty({ type: String, enum: ['healthy', 'warning', 'unhealthy'] })
  status: 'healthy' | 'warning' | 'unhealthy';

  @ApiPropertyOptional({ type: String })
  message?: string;

  @ApiProperty({ type: String, format: 'date-time' })
  timestamp: string;

  @ApiProperty({ type: String, description: 'How long the check took, e.g. "1.2ms"' })
  duration: string;
}

export class HealthChecksDto {
  @ApiProperty({ type: CheckResultDto })
  storage: CheckResultDto;

  @ApiProperty({ type: CheckResultDto })
  memory: CheckResultDto;

  @ApiProperty({ type: CheckResultDto })
  repositories: CheckResultDto;

  @ApiPropertyOptional({ type: CheckResultDto })
  auth?: CheckResultDto;

  @ApiPropertyOptional({ type: CheckResultDto })
  cluster?: CheckResultDto;
}

export class SystemMemoryDto {
  @ApiProperty({ type: Number, description: 'V8 heap used plus external memory' })
  allocated_bytes: number;

  @ApiProperty({ type: Number, description: 'V8 heap reserved' })
  total_allocated_bytes: number;

  @ApiProperty({ type: Number, description: 'Resident set size' })
  system_bytes: number;

  @ApiProperty({ type: Number, description: 'Garbage collections since start' })
  num_gc: number;
}

export class SystemInfoDto {
  @ApiProperty({ type: String, description: 'The runtime, e.g. "node v20.19.0" (govc name)' })
  go_version: string;

  @ApiProperty({ type: String })
  node_version: string;

  @ApiProperty({ type: Number, description: 'Active libuv handles and requests (govc name)' })
  num_goroutines: number;

  @ApiProperty({ type: SystemMemoryDto })
  memory: SystemMemoryDto;
}

export class HealthResponseDto {
  @ApiProperty({ type: String, enum: ['healthy', 'degraded', 'unhealthy'] })
  status: 'healthy' | 'degraded' | 'unhealthy';

  @ApiProperty({ type: String, format: 'date-time' })
  timestamp: string;

  @ApiProperty({ type: String })
  version: string;

  @ApiProperty({ type: String, description: 'Process uptime, e.g. "1h2m3.5s"' })
  uptime: string;

  @ApiProperty({ type: HealthChecksDto })
  checks: HealthChecksDto;

  @ApiProperty({ type: SystemInfoDto })
  system: SystemInfoDto;
}
