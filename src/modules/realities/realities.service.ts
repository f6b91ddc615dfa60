/**
 * Parallel realities (api-contract.md §8): one engine RealityManager per live repository.
 * Mutations run as the repository's serialized writes; the TTL cleanup (realities.ttl, 0 =
 * never) runs on a timer. Reality metadata (base, creation and update times) is kept in the
 * repository's metadata store, collection `realities`, so it survives restarts and pool
 * evictions; it is saved after each change, before the route answers.
 */
import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import {
  RealityManager,
  realityName,
  type RealityBenchmark,
  type RealityInfo,
  type RealityMergeResult,
  type RealityRecord,
  type Repository,
} from '../../core';
import { RealitiesConfig } from '../../config/config.schema';
import { RepositoryRegistry } from '../git-core/repository-registry';
import { realityEvent } from '../hooks/event-payloads';
import { RepositoryEvents } from '../hooks/repository-events';
import { ServerHookService } from '../hooks/server-hooks/server-hook.service';
import { operationIdentity } from '../repos/operations/repo-identity';
import type {
  ApplyRealityDto,
  CreateRealitiesDto,
  MergeRealityDto,
  RealityApplied,
} from './dto/reality.dto';

/** Metadata collection of reality records, one document per repository. */
const REALITIES_COLLECTION = 'realities';

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
    private readonly events: RepositoryEvents,
    private readonly serverHooks: ServerHookService,
  ) {}

  onModuleInit(): void {
    this.registry.deleteWithRepository(REALITIES_COLLECTION);
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
          ...(await this.events.write(
            repoId,
            ({ repository }) =>
              this.managerOf(repoId, repository).sweep(now, this.config.ttl / 1000),
            (branches) => branches.map((branch) => realityEvent('deleted', branch, null)),
          )),
        );
        await this.saveRecords(repoId);
      } catch (error) {
        this.logger.warn(`reality cleanup of ${repoId} failed: ${String(error)}`);
      }
    }
    return deleted;
  }

  async create(repoId: string, body: CreateRealitiesDto): Promise<RealityInfo[]> {
    const created = await this.events.write(
      repoId,
      (target) =>
        this.managerOf(repoId, target.repository).createMany(
          body.branches,
          body.base,
          operationIdentity(target).identity,
        ),
      (created) => created.map((info) => realityEvent('created', info.name, info.head)),
    );
    await this.saveRecords(repoId);
    return created;
  }

  async list(repoId: string): Promise<RealityInfo[]> {
    return (await this.manager(repoId)).list();
  }

  async apply(repoId: string, reality: string, body: ApplyRealityDto): Promise<RealityApplied> {
    const applied = await this.events.write(
      repoId,
      (target) => {
        const author = operationIdentity(target, { author: body.author, email: body.email });
        const manager = this.managerOf(repoId, target.repository);
        const { commit } = manager.apply(reality, body.changes, {
          message: body.message,
          identity: author.identity,
        });
        author.remember();
        return { reality, commit };
      },
      (_applied, { repository }) => {
        const name = realityName(reality);
        return [realityEvent('applied', `parallel/${name}`, branchHead(repository, name))];
      },
    );
    await this.saveRecords(repoId);
    return applied;
  }

  /** Measures both sides; a `benchmark` server hook, when configured, scores each (§8). */
  async benchmark(repoId: string, reality: string): Promise<RealityBenchmark> {
    const manager = await this.manager(repoId);
    const runScript = this.serverHooks.benchmarkScorer(repoId);
    return manager.benchmark(reality, runScript === undefined ? {} : { runScript });
  }

  async merge(
    repoId: string,
    reality: string,
    body: MergeRealityDto | undefined,
  ): Promise<RealityMergeResult> {
    const result = await this.events.write(
      repoId,
      (target) =>
        this.managerOf(repoId, target.repository).merge(reality, {
          into: body?.into,
          message: body?.message,
          delete: body?.delete,
          identity: operationIdentity(target).identity,
        }),
      (merged) => [realityEvent('merged', merged.from, merged.commit)],
    );
    await this.saveRecords(repoId);
    return result;
  }

  async delete(repoId: string, reality: string): Promise<string> {
    let head: string | null = null;
    const deleted = await this.events.write(
      repoId,
      ({ repository }) => {
        head = branchHead(repository, realityName(reality));
        this.managerOf(repoId, repository).delete(reality);
        return reality;
      },
      () => [realityEvent('deleted', `parallel/${realityName(reality)}`, head)],
    );
    await this.saveRecords(repoId);
    return deleted;
  }

  private async manager(repoId: string): Promise<RealityManager> {
    const { repository } = await this.registry.open(repoId);
    return this.managerOf(repoId, repository);
  }

  /** The repository's manager; a new one when the repository was deleted and re-created. */
  private managerOf(repoId: string, repository: Repository): RealityManager {
    const known = this.managers.get(repoId);
    if (known !== undefined && known.repository === repository) return known.manager;
    const manager = new RealityManager(repository, {
      maxPerRequest: this.config.max_per_request,
      records: this.loadRecords(repoId),
    });
    this.managers.set(repoId, { repository, manager });
    return manager;
  }

  /** Stores the manager's records and waits until they are durable. */
  private async saveRecords(repoId: string): Promise<void> {
    const managed = this.managers.get(repoId);
    if (managed === undefined) return;
    const metadata = this.registry.metadataFor(repoId);
    const records = managed.manager.records().map((record) => ({ ...record }));
    metadata.put(REALITIES_COLLECTION, repoId, { records });
    await metadata.flush();
  }

  /** The stored records of `repoId`; entries that do not read as records are skipped. */
  private loadRecords(repoId: string): RealityRecord[] {
    const document = this.registry.metadataFor(repoId).get(REALITIES_COLLECTION, repoId);
    const stored = document?.records;
    if (!Array.isArray(stored)) return [];
    return stored.filter(isRealityRecord);
  }
}

function isRealityRecord(value: unknown): value is RealityRecord {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return (
    typeof record.name === 'string' &&
    typeof record.base === 'string' &&
    (record.baseBranch === null || typeof record.baseBranch === 'string') &&
    typeof record.baseCommit === 'string' &&
    typeof record.createdAt === 'number' &&
    typeof record.updatedAt === 'number'
  );
}

/** The head of `parallel/<name>`, or null when there is none. */
function branchHead(repository: Repository, name: string): string | null {
  const ref = repository.refs.read(`refs/heads/parallel/${name}`);
  return ref?.kind === 'direct' ? ref.oid : null;
}
