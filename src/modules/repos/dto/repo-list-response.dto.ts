/** Body of GET /api/v1/repos (api-contract.md §3.1): one page of repositories, by id. */
import { ApiProperty } from '@nestjs/swagger';
import { RepoResponseDto } from './repo-response.dto';

export class RepoListResponseDto {
  @ApiProperty({ type: [RepoResponseDto] })
  repositories: RepoResponseDto[];

  @ApiProperty({ type: 'integer', description: 'Repositories on this page' })
  count: number;

  @ApiProperty({ type: 'integer', description: 'All repositories' })
  total: number;
}

export function toRepoListResponse(
  repositories: RepoResponseDto[],
  total: number,
): RepoListResponseDto {
  return { repositories, count: repositories.length, total };
}
