/** Cherry-pick, revert, reset, rebase and stash on a repository (api-contract.md §3.5, §3.6). */
import { Injectable } from '@nestjs/common';
import type { RebaseResult, ResetResult, StashApplyResult, StashEntry } from '../../../core';
import { RepositoryRegistry } from '../../git-core/repository-registry';
import {
  cherryPickEvent,
  rebaseEvent,
  resetEvent,
  revertEvent,
  stashEvent,
} from '../../hooks/event-payloads';
import { RepositoryEvents } from '../../hooks/repository-events';
import type { PickCommitDto, Picked, RebaseDto, ResetDto } from './dto/history.dto';
import type { StashApplyDto, StashPushDto } from './dto/stash.dto';
import { operationIdentity } from './repo-identity';

@Injectable()
export class HistoryService {
  constructor(
    private readonly registry: RepositoryRegistry,
    private readonly events: RepositoryEvents,
  ) {}

  cherryPick(repoId: string, body: PickCommitDto): Promise<Picked> {
    return this.events.write(
      repoId,
      (target) => {
        const identity = operationIdentity(target).identity;
        const result = target.repository.cherryPick(body.commit, {
          identity,
          mainline: body.mainline,
        });
        return { sent: body.commit, result };
      },
      ({ result }) => [cherryPickEvent(result)],
    );
  }

  revert(repoId: string, body: PickCommitDto): Promise<Picked> {
    return this.events.write(
      repoId,
      (target) => {
        const identity = operationIdentity(target).identity;
        const result = target.repository.revert(body.commit, { identity, mainline: body.mainline });
        return { sent: body.commit, result };
      },
      ({ result }) => [revertEvent(result)],
    );
  }

  reset(repoId: string, body: ResetDto): Promise<ResetResult> {
    return this.events.write(
      repoId,
      (target) => {
        const identity = operationIdentity(target).identity;
        const to = body.target ?? body.commit ?? 'HEAD';
        return target.repository.reset(to, body.mode ?? 'mixed', { identity });
      },
      (result, { repository }) => [resetEvent(repository.head().branch, result)],
    );
  }

  rebase(repoId: string, body: RebaseDto): Promise<RebaseResult> {
    return this.events.write(
      repoId,
      (target) =>
        target.repository.rebase(body.onto, { identity: operationIdentity(target).identity }),
      (result, { repository }) => [rebaseEvent(repository.head().branch, body.onto, result)],
    );
  }

  stashPush(repoId: string, body: StashPushDto | undefined): Promise<StashEntry> {
    return this.events.write(
      repoId,
      (target) => {
        const stasher = operationIdentity(target, { author: body?.author, email: body?.email });
        const entry = target.repository.stashPush({
          identity: stasher.identity,
          message: body?.message,
          includeUntracked: body?.include_untracked,
        });
        stasher.remember();
        return entry;
      },
      (entry) => [stashEvent('created', entry)],
    );
  }

  async listStashes(repoId: string): Promise<StashEntry[]> {
    const { repository } = await this.registry.open(repoId);
    return repository.listStashes();
  }

  async getStash(repoId: string, stashId: string): Promise<StashEntry> {
    const { repository } = await this.registry.open(repoId);
    return repository.getStash(stashId);
  }

  applyStash(
    repoId: string,
    stashId: string,
    body: StashApplyDto | undefined,
  ): Promise<StashApplyResult> {
    return this.events.write(
      repoId,
      ({ repository }) => repository.applyStash(stashId, { drop: body?.drop }),
      ({ entry, dropped }) => [stashEvent(dropped ? 'popped' : 'applied', entry)],
    );
  }

  dropStash(repoId: string, stashId: string): Promise<StashEntry> {
    return this.events.write(
      repoId,
      ({ repository }) => repository.dropStash(stashId),
      (entry) => [stashEvent('dropped', entry)],
    );
  }
}
