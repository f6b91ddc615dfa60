/** Body of POST /api/v1/repos and /api/v2/repos (api-contract.md §3.1). */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString } from 'class-validator';

export class CreateRepoDto {
  @ApiProperty({
    type: String,
    description:
      'Repository id: ^[a-zA-Z0-9][a-zA-Z0-9_-]{0,63}$, not a reserved name (api, admin, root, ' +
      'system, config, health, metrics, swagger, docs)',
    example: 'demo',
  })
  @IsString()
  id: string;

  @ApiPropertyOptional({
    type: Boolean,
    default: false,
    description: 'Keep the repository in memory only; it is never persisted',
  })
  @IsOptional()
  @IsBoolean()
  memory_only?: boolean;

  @ApiPropertyOptional({
    type: Boolean,
    default: false,
    description: 'Anyone may fetch and clone it over git smart HTTP without credentials',
  })
  @IsOptional()
  @IsBoolean()
  public?: boolean;
}
