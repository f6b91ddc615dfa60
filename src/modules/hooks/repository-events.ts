/**
 * How feature services emit domain events (api-contract.md §6.4): `write` is the registry's
 * serialized, durable write plus its events. It snapshots the branch heads around the mutation,
 * so every `refs/heads/*` move becomes a `push` without any route describing it, and publishes
 * the operation's own events, then the pushes, only once the write is durable. A write that
 * throws publishes nothing.
 */
import { Injectable } from '@nestjs/common';
import {
  RepositoryRegistry,
  type OpenRepository,
  type RepositoryWrite,
} from '../git-core/repository-registry';
import { describePush, headsBefore, movedBranches } from './branch-moves';
import type { EventEnvelope, EventSender } from './domain-event';
import { currentSender } from './event-sender-context';
import { repositoryEvent, type EventSpec } from './event-payloads';
import { RepositoryEventBus } from './repository-event-bus';

export type DescribeEvents<T> = (value: T, target: RepositoryWrite) => readonly EventSpec[];

@Injectable()
export class RepositoryEvents {
  constructor(
    private readonly registry: RepositoryRegistry,
    private readonly bus: RepositoryEventBus,
  ) {}

  /**
   * `registry.write(repoId, mutate, before)`, then the events of `describe(result)` and the
   * pushes.
   */
  async write<T>(
    repoId: string,
    mutate: (target: RepositoryWrite) => T,
    describe: DescribeEvents<T> = () => [],
    before?: (target: OpenRepository) => Promise<void>,
  ): Promise<T> {
    const sender = currentSender();
    let events: readonly EventSpec[] = [];
    const value = await this.registry.write(
      repoId,
      (target) => {
        const refs = target.repository.refs;
        // Only the refs this write moved are looked at: a repository with a thousand
        // realities must not pay for listing every branch on each commit.
        const { value: result, moved } = refs.recordMoves(() => mutate(target));
        const moves = movedBranches(refs, moved);
        // A created branch lists the commits no branch had before: only then are all heads read.
        const others = moves.some((move) => move.before === null) ? headsBefore(refs, moved) : [];
        const pushes = moves.map((move): EventSpec => ({
          event: 'push',
          data: describePush(target.repository, move, 'api', others),
        }));
        events = [...describe(result, target), ...pushes];
        return result;
      },
      before,
    );
    this.publishAll(repoId, events, sender);
    return value;
  }

  /** Publishes events that are already durable (or need no write), in order. */
  publishAll(
    repoId: string,
    events: readonly EventSpec[],
    sender: EventSender | null = currentSender(),
  ): EventEnvelope[] {
    return events.map((spec) =>
      this.bus.publish({ repository: repoId, event: spec.event, data: spec.data, sender }),
    );
  }

  repositoryCreated(created: OpenRepository): void {
    this.publishAll(created.record.id, [
      repositoryEvent('created', created.record.id, created.locator),
    ]);
  }

  /** Deletes the repository; its hooks and streams get the `deleted` event, then it is gone. */
  async deleteRepository(repoId: string): Promise<void> {
    const { locator } = await this.registry.open(repoId);
    const sender = currentSender();
    await this.registry.delete(repoId);
    this.publishAll(repoId, [repositoryEvent('deleted', repoId, locator)], sender);
    this.bus.forget(repoId);
  }
}
