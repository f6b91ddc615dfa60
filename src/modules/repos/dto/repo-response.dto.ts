/** RepoResponse (api-contract.md §1) and its mapper. */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { OpenRepository } from '../../git-core/repository-registry';

export class RepoResponseDto {
  @ApiProperty({ type: String, example: 'demo' })
  id: string;

  @ApiProperty({
    type: String,
    description: '":memory:" for memory-only repositories, else a storage-relative locator',
    example: 'repos/demo.git',
  })
  path: string;

  @ApiPropertyOptional({
    type: String,
    description: 'The current branch; omitted when HEAD is detached',
    example: 'main',
  })
  current_branch?: string;

  @ApiProperty({ type: String, format: 'date-time', example: '2025-08-12T14:41:34.123Z' })
  created_at: string;

  @ApiProperty({ type: Boolean })
  memory_only: boolean;

  @ApiProperty({ type: Boolean })
  public: boolean;
}

export function toRepoResponse({ record, locator, repository }: OpenRepository): RepoResponseDto {
  const { branch } = repository.head();
  return {
    id: record.id,
    path: locator,
    ...(branch === null ? {} : { current_branch: branch }),
    created_at: record.createdAt,
    memory_only: record.memoryOnly,
    public: record.public,
  };
}
