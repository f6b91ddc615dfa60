/**
 * Parallel realities (api-contract.md §8): one engine RealityManager per live repository.
 * Mutations run as the repository's serialized writes; the TTL cleanup (realities.ttl, 0 =
 * never) runs on a timer. Reality metadata lives with the manager, in memory.
 */
import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import {
  RealityManager,
  type RealityBenchmark,
  type RealityInfo,
  type RealityMergeResult,
  type Repository,
} from '../../core';
import { RealitiesConfig } from '../../config/config.schema';
import { RepositoryRegistry } from '../git-core/repository-registry';
import { operationIdentity } from '../repos/operations/repo-identity';
import type {
  ApplyRealityDto,
  CreateRealitiesDto,
  MergeRealityDto,
  RealityApplied,
} from './dto/reality.dto';

/** How often the TTL cleanup looks, at most. */
const MAX_SWEEP_INTERVAL_MS = 60_000;

interface Managed {
  readonly repository: Repository;
  readonly manager: RealityManager;
}

@Injectable()
export class RealitiesService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Realities');
  private readonly managers = new Map<string, Managed>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly registry: RepositoryRegistry,
    private readonly config: RealitiesConfig,
  ) {}

  onModuleInit(): void {
    if (this.config.ttl <= 0) return;
    const every = Math.max(1000, Math.min(this.config.ttl, MAX_SWEEP_INTERVAL_MS));
    this.timer = setInterval(() => void this.sweep(), every).unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /** Deletes realities untouched for realities.ttl; returns the deleted branch names. */
  async sweep(now: number = Date.now()): Promise<string[]> {
    const deleted: string[] = [];
    for (const repoId of [...this.managers.keys()]) {
      try {
        deleted.push(
          ...(await this.registry.write(repoId, ({ repository }) =>
            this.managerOf(repoId, repository).sweep(now, this.config.ttl / 1000),
          )),
        );
      } catch (error) {
        this.logger.warn(`reality cleanup of ${repoId} failed: ${String(error)}`);
      }
    }
    return deleted;
  }

  create(repoId: string, body: CreateRealitiesDto): Promise<RealityInfo[]> {
    return this.registry.write(repoId, (target) =>
      this.managerOf(repoId, target.repository).createMany(
        body.branches,
        body.base,
        operationIdentity(target).identity,
      ),
    );
  }

  async list(repoId: string): Promise<RealityInfo[]> {
    return (await this.manager(repoId)).list();
  }

  apply(repoId: string, reality: string, body: ApplyRealityDto): Promise<RealityApplied> {
    return this.registry.write(repoId, (target) => {
      const author = operationIdentity(target, { author: body.author, email: body.email });
      const manager = this.managerOf(repoId, target.repository);
      const { commit } = manager.apply(reality, body.changes, {
        message: body.message,
        identity: author.identity,
      });
      author.remember();
      return { reality, commit };
    });
  }

  async benchmark(repoId: string, reality: string): Promise<RealityBenchmark> {
    return (await this.manager(repoId)).benchmark(reality);
  }

  merge(
    repoId: string,
    reality: string,
    body: MergeRealityDto | undefined,
  ): Promise<RealityMergeResult> {
    return this.registry.write(repoId, (target) =>
      this.managerOf(repoId, target.repository).merge(reality, {
        into: body?.into,
        message: body?.message,
        delete: body?.delete,
        identity: operationIdentity(target).identity,
      }),
    );
  }

  delete(repoId: string, reality: string): Promise<string> {
    return this.registry.write(repoId, ({ repository }) => {
      this.managerOf(repoId, repository).delete(reality);
      return reality;
    });
  }

  private async manager(repoId: string): Promise<RealityManager> {
    const { repository } = await this.registry.open(repoId);
    return this.managerOf(repoId, repository);
  }

  /** The repository's manager; a new one when the repository was deleted and re-created. */
  private managerOf(repoId: string, repository: Repository): RealityManager {
    const known = this.managers.get(repoId);
    if (known !== undefined && known.repository === repository) return known.manager;
    const manager = new RealityManager(repository, { maxPerRequest: this.config.max_per_request });
    this.managers.set(repoId, { repository, manager });
    return manager;
  }
}
