/** Repositories on /api/v1 (api-contract.md §3.1). */
import { Body, Controller, Delete, Get, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { API_V1 } from '../../http/api-version';
import { ANY_AUTHENTICATED, Endpoint } from '../../http/endpoint.decorator';
import { PageQueryDto } from '../../http/page-query.dto';
import { CurrentPrincipal, type Principal } from '../auth/principal';
import { SuccessResponseDto } from '../../http/success-response.dto';
import { REPO_READ_ERRORS, REPO_WRITE_ERRORS } from '../git-core/route-errors';
import { CreateRepoDto } from './dto/create-repo.dto';
import { RepoListResponseDto } from './dto/repo-list-response.dto';
import { RepoResponseDto } from './dto/repo-response.dto';
import { CREATE_REPO_ERRORS, LIST_REPOS_ERRORS } from './repos-route-errors';
import { ReposService } from './repos.service';

@ApiTags('repos')
@Controller(`${API_V1}/repos`)
export class ReposController {
  constructor(private readonly repos: ReposService) {}

  @Post()
  @Endpoint({
    summary: 'Create a repository (HEAD on the unborn branch main)',
    permission: 'repo:write',
    responses: [{ status: 201, type: RepoResponseDto, description: 'Created' }],
    errors: CREATE_REPO_ERRORS,
  })
  create(
    @Body() body: CreateRepoDto,
    @CurrentPrincipal() principal: Principal | null,
  ): Promise<RepoResponseDto> {
    return this.repos.create(body, principal);
  }

  @Get()
  @Endpoint({
    summary: 'List repositories by id (paged)',
    permission: ANY_AUTHENTICATED,
    responses: [{ status: 200, type: RepoListResponseDto, description: 'One page' }],
    errors: LIST_REPOS_ERRORS,
  })
  list(
    @Query() query: PageQueryDto,
    @CurrentPrincipal() principal: Principal | null,
  ): Promise<RepoListResponseDto> {
    return this.repos.list(query, principal);
  }

  @Get(':repo_id')
  @Endpoint({
    summary: 'Get a repository',
    permission: 'repo:read',
    responses: [{ status: 200, type: RepoResponseDto, description: 'The repository' }],
    errors: REPO_READ_ERRORS,
  })
  get(@Param('repo_id') repoId: string): Promise<RepoResponseDto> {
    return this.repos.get(repoId);
  }

  @Delete(':repo_id')
  @Endpoint({
    summary: 'Delete a repository and everything in it',
    permission: 'repo:delete',
    responses: [{ status: 200, type: SuccessResponseDto, description: 'Deleted' }],
    errors: REPO_WRITE_ERRORS,
  })
  delete(@Param('repo_id') repoId: string): Promise<SuccessResponseDto> {
    return this.repos.delete(repoId, 'v1');
  }
}
