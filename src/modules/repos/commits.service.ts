/**
 * Commits and history (api-contract.md §3.2): commit the index, list history, show one commit
 * with its changes, and the working-state status.
 */
import { Injectable } from '@nestjs/common';
import {
  CommitNotFoundError,
  FileMode,
  RefNotFoundError,
  diffTrees,
  toFileDiffs,
  validateCommitMessage,
  validateFilePath,
  type Oid,
  type Repository,
  type TreeChange,
} from '../../core';
import { queryFilePath } from '../../http/catch-all-path';
import { toPage } from '../../http/page-query.dto';
import { RepositoryRegistry } from '../git-core/repository-registry';
import { toFileDiffDto } from '../files/dto/file-diff.dto';
import { commitEvent } from '../hooks/event-payloads';
import { RepositoryEvents } from '../hooks/repository-events';
import { proposeIndexCommit } from '../hooks/server-hooks/commit-proposals';
import { ServerHookService } from '../hooks/server-hooks/server-hook.service';
import { resolveCommitIdentity } from './commit-identity';
import type { CommitRequestDto } from './dto/commit-request.dto';
import { toCommitResponse, type CommitResponseDto } from './dto/commit-response.dto';
import { LOG_PAGE_LIMITS, type LogQueryDto } from './dto/log-query.dto';
import { toLogResponse, type LogResponseDto } from './dto/log-response.dto';
import type { ShowQueryDto } from './dto/show-query.dto';
import { toShowFile, toShowResponse, type ShowResponseDto } from './dto/show-response.dto';
import { toStatusResponse, type StatusResponseDto } from './dto/status-response.dto';

@Injectable()
export class CommitsService {
  constructor(
    private readonly registry: RepositoryRegistry,
    private readonly events: RepositoryEvents,
    private readonly serverHooks: ServerHookService,
  ) {}

  /** Commits the index on the current branch; the identity sent is stored as repository config. */
  commit(repoId: string, body: CommitRequestDto): Promise<CommitResponseDto> {
    // A pre-commit hook checks the index's tree inside the write turn (409 HOOK_REJECTED); a
    // request the commit would refuse anyway (bad message or email) is refused before it runs.
    const check = this.serverHooks.preCommitCheck(repoId, ({ repository, record }) => {
      resolveCommitIdentity(body, record.config);
      validateCommitMessage(body.message);
      return proposeIndexCommit(repository, body.allow_empty === true);
    });
    return this.events
      .write(
        repoId,
        (target) => {
          check?.confirm(target);
          const { repository, record, setConfig } = target;
          const { identity, config } = resolveCommitIdentity(body, record.config);
          const result = repository.commit({
            message: body.message,
            author: identity,
            allowEmpty: body.allow_empty === true,
          });
          if (Object.keys(config).length > 0) setConfig(config);
          return result;
        },
        (result, { repository }) => [commitEvent(repository, result)],
        check?.before,
      )
      .then(({ oid, commit }) => toCommitResponse(oid, commit));
  }

  /** History newest first; an unborn HEAD lists nothing, an explicit unknown ref is 404. */
  async log(repoId: string, query: LogQueryDto): Promise<LogResponseDto> {
    const { repository } = await this.registry.open(repoId);
    const { limit, offset } = toPage(query, LOG_PAGE_LIMITS);
    const path = query.path === undefined ? undefined : validateFilePath(queryFilePath(query.path));
    const { commits, hasMore } = repository.log({
      ...(query.ref === undefined ? {} : { from: query.ref }),
      ...(path === undefined ? {} : { path }),
      firstParent: query.first_parent === true,
      offset,
      limit,
    });
    return toLogResponse(
      commits.map((oid) => toCommitResponse(oid, repository.odb.readCommit(oid))),
      hasMore,
    );
  }

  /** One commit with its changes against its first parent (the empty tree for a root). */
  async show(repoId: string, ref: string, query: ShowQueryDto): Promise<ShowResponseDto> {
    const { repository } = await this.registry.open(repoId);
    const oid = resolveShownCommit(repository, ref);
    const commit = repository.odb.readCommit(oid);
    const [parent] = commit.parents;
    const parentTree = parent === undefined ? null : repository.odb.readCommit(parent).tree;
    const changes = diffTrees(repository.odb, parentTree, commit.tree);
    const includeContent = query.include_content === true;
    const files = changes.map((change) =>
      toShowFile(change.path, change.status, newContent(repository, change), includeContent),
    );
    const diffs = toFileDiffs(repository.odb, changes).map(toFileDiffDto);
    return toShowResponse(toCommitResponse(oid, commit), files, diffs);
  }

  async status(repoId: string): Promise<StatusResponseDto> {
    const { repository } = await this.registry.open(repoId);
    return toStatusResponse(repository.status());
  }
}

/** `:commit` of show: any revision (§0.7); one that names no commit is COMMIT_NOT_FOUND. */
function resolveShownCommit(repository: Repository, ref: string): Oid {
  try {
    return repository.resolveCommit(ref);
  } catch (error) {
    if (error instanceof RefNotFoundError) throw new CommitNotFoundError(ref);
    throw error;
  }
}

/** The new version's bytes: empty for a deletion or a submodule (which has no blob here). */
function newContent(repository: Repository, change: TreeChange): Uint8Array {
  if (change.newOid === null || change.newMode === FileMode.Gitlink) return new Uint8Array(0);
  return repository.odb.readBlob(change.newOid);
}
