/** Body of GET /version. */
import { ApiProperty } from '@nestjs/swagger';

export class VersionResponseDto {
  @ApiProperty({ type: String, description: 'Package version' })
  version: string;

  @ApiProperty({ type: String, description: 'The runtime, e.g. "node v20.19.0" (govc name)' })
  go_version: string;

  @ApiProperty({ type: String })
  node_version: string;

  @ApiProperty({ type: String, description: 'Build time, or "development"' })
  build_time: string;

  @ApiProperty({ type: String, description: 'Source commit, or "unknown"' })
  git_commit: string;

  @ApiProperty({ type: String, enum: ['v1'] })
  api_version: 'v1';
}
