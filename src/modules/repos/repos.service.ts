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
import { RepositoryEvents } from '../hooks/repository-events';
import { AccessPolicy } from '../auth/access-policy';
import { AccountsService } from '../auth/accounts.service';
import type { Principal } from '../auth/principal';
import type { CreateRepoDto } from './dto/create-repo.dto';
import { toRepoListResponse, type RepoListResponseDto } from './dto/repo-list-response.dto';
import { toRepoResponse, type RepoResponseDto } from './dto/repo-response.dto';

@Injectable()
export class ReposService {
  constructor(
    private readonly registry: RepositoryRegistry,
    private readonly events: RepositoryEvents,
    private readonly policy: AccessPolicy,
    private readonly accounts: AccountsService,
  ) {}

  /** Creates the repository; its creator gets repo:admin on it (api-contract.md §0.3). */
  async create(body: CreateRepoDto, creator: Principal | null = null): Promise<RepoResponseDto> {
    const created = await this.registry.create({
      id: body.id,
      memoryOnly: body.memory_only ?? false,
      public: body.public ?? false,
    });
    await this.accounts.grantCreator(creator, created.record.id);
    this.events.repositoryCreated(created);
    return toRepoResponse(created);
  }

  /** One page of the repositories the caller may read, by id. */
  async list(query: PageQueryDto, caller: Principal | null = null): Promise<RepoListResponseDto> {
    const { limit, offset } = toPage(query);
    const records = this.registry.list().filter(({ id }) => this.policy.canRead(caller, id));
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
    await this.events.deleteRepository(id);
    // Grants go with the repository: one created later under the same id starts without them.
    await this.accounts.forgetRepository(id);
    return toSuccessResponse(version, 'deleted', `repository ${id} deleted`);
  }
}
