/**
 * Repositories (api-contract.md §3.1): create, list, get and delete through the registry,
 * answered as RepoResponse DTOs.
 */
import { Injectable } from '@nestjs/common';
import type { ApiVersion } from '../../http/api-version';
import { toPage, type PageQueryDto } from '../../http/page-query.dto';
import { toSuccessResponse, type SuccessResponseDto } from '../../http/success-response.dto';
import { RepoNotFoundError } from '../../core';
import { RepositoryRegistry, type OpenRepository } from '../git-core/repository-registry';
import type { CreateRepoDto } from './dto/create-repo.dto';
import { toRepoListResponse, type RepoListResponseDto } from './dto/repo-list-response.dto';
import { toRepoResponse, type RepoResponseDto } from './dto/repo-response.dto';

@Injectable()
export class ReposService {
  constructor(private readonly registry: RepositoryRegistry) {}

  async create(body: CreateRepoDto): Promise<RepoResponseDto> {
    const created = await this.registry.create({
      id: body.id,
      memoryOnly: body.memory_only ?? false,
      public: body.public ?? false,
    });
    return toRepoResponse(created);
  }

  /** One page of repositories, by id. */
  async list(query: PageQueryDto): Promise<RepoListResponseDto> {
    const { limit, offset } = toPage(query);
    const records = this.registry.list();
    const page = records.slice(offset, offset + limit);
    const opened = await Promise.all(page.map(({ id }) => this.openUnlessDeleted(id)));
    const repositories = opened.flatMap((repository) =>
      repository === undefined ? [] : [toRepoResponse(repository)],
    );
    return toRepoListResponse(repositories, records.length);
  }

  /** A repository deleted while the page was being read is left out of it. */
  private async openUnlessDeleted(id: string): Promise<OpenRepository | undefined> {
    try {
      return await this.registry.open(id);
    } catch (error) {
      if (error instanceof RepoNotFoundError) return undefined;
      throw error;
    }
  }

  async get(id: string): Promise<RepoResponseDto> {
    return toRepoResponse(await this.registry.open(id));
  }

  async delete(id: string, version: ApiVersion): Promise<SuccessResponseDto> {
    await this.registry.delete(id);
    return toSuccessResponse(version, 'deleted', `repository ${id} deleted`);
  }
}
