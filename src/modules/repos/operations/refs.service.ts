/** Branches, tags, checkout and merge on a repository (api-contract.md §3.4). */
import { Injectable } from '@nestjs/common';
import type { BranchInfo, TagInfo } from '../../../core';
import { RepositoryRegistry } from '../../git-core/repository-registry';
import { branchEvent, checkoutEvent, mergeEvents, tagEvent } from '../../hooks/event-payloads';
import { RepositoryEvents } from '../../hooks/repository-events';
import type { BranchCreated, BranchDeleted, BranchListing } from './dto/branch.dto';
import type { CheckedOut, CheckoutDto, MergeDto, Merged } from './dto/checkout-merge.dto';
import type { CreateBranchDto } from './dto/branch.dto';
import type { CreateTagDto } from './dto/tag.dto';
import { operationIdentity } from './repo-identity';

@Injectable()
export class RefsService {
  constructor(
    private readonly registry: RepositoryRegistry,
    private readonly events: RepositoryEvents,
  ) {}

  async listBranches(repoId: string): Promise<BranchListing> {
    const { repository } = await this.registry.open(repoId);
    return { branches: repository.listBranches(), current: repository.head().branch };
  }

  async getBranch(repoId: string, name: string): Promise<BranchInfo> {
    const { repository } = await this.registry.open(repoId);
    return repository.getBranch(name);
  }

  createBranch(repoId: string, body: CreateBranchDto): Promise<BranchCreated> {
    return this.events.write(
      repoId,
      (target) => {
        const from = body.from ?? 'HEAD';
        const identity = operationIdentity(target).identity;
        const info = target.repository.createBranch(body.name, from, { identity });
        return { branch: info.name, from, commit: info.commit ?? '' };
      },
      (created) => [branchEvent('created', created.branch, created.commit)],
    );
  }

  deleteBranch(repoId: string, name: string): Promise<BranchDeleted> {
    return this.events.write(
      repoId,
      ({ repository }) => ({ branch: name, commit: repository.deleteBranch(name) }),
      (deleted) => [branchEvent('deleted', deleted.branch, deleted.commit)],
    );
  }

  checkout(repoId: string, body: CheckoutDto): Promise<CheckedOut> {
    return this.events.write(
      repoId,
      (target) => {
        const identity = operationIdentity(target).identity;
        const result = target.repository.checkout(body.branch, { force: body.force, identity });
        return { requested: body.branch, result };
      },
      ({ requested, result }) => [checkoutEvent(requested, result.branch, result.oid)],
    );
  }

  merge(repoId: string, body: MergeDto): Promise<Merged> {
    return this.events.write(
      repoId,
      (target) => {
        const identity = operationIdentity(target).identity;
        const result = target.repository.merge(body.from, body.to, {
          identity,
          message: body.message,
          noFf: body.no_ff,
        });
        return { from: body.from, to: body.to, result };
      },
      ({ from, result }) => mergeEvents(from, result),
    );
  }

  async listTags(repoId: string): Promise<TagInfo[]> {
    const { repository } = await this.registry.open(repoId);
    return repository.listTags();
  }

  async getTag(repoId: string, name: string): Promise<TagInfo> {
    const { repository } = await this.registry.open(repoId);
    return repository.getTag(name);
  }

  createTag(repoId: string, body: CreateTagDto): Promise<TagInfo> {
    return this.events.write(
      repoId,
      (target) => {
        const tagger = operationIdentity(target, { author: body.author, email: body.email });
        const tagged = body.ref ?? body.commit ?? 'HEAD';
        const info = target.repository.createTag(body.name, tagged, {
          message: body.message,
          tagger: tagger.identity,
        });
        if (body.message !== undefined) tagger.remember();
        return info;
      },
      (info) => [tagEvent('created', info)],
    );
  }

  deleteTag(repoId: string, name: string): Promise<string> {
    let deleted: TagInfo | undefined;
    return this.events.write(
      repoId,
      ({ repository }) => {
        deleted = repository.listTags().find((tag) => tag.name === name);
        repository.deleteTag(name);
        return name;
      },
      () => (deleted === undefined ? [] : [tagEvent('deleted', deleted)]),
    );
  }
}
