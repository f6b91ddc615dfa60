/** Time travel over a repository's history (api-contract.md §9). */
import { Injectable } from '@nestjs/common';
import { parseTimestamp, readAtTime, snapshotAt, type FileAtTime } from '../../core';
import { RepositoryRegistry } from '../git-core/repository-registry';
import type { SnapshotView } from './dto/time-travel.dto';

@Injectable()
export class TimeTravelService {
  constructor(private readonly registry: RepositoryRegistry) {}

  async snapshot(repoId: string, timestamp: string, ref?: string): Promise<SnapshotView> {
    const time = parseTimestamp(timestamp);
    const { repository } = await this.registry.open(repoId);
    const snapshot = snapshotAt(repository, time, ref);
    return { time, snapshot, commit: repository.odb.readCommit(snapshot.commit) };
  }

  async read(repoId: string, timestamp: string, path: string, ref?: string): Promise<FileAtTime> {
    const time = parseTimestamp(timestamp);
    const { repository } = await this.registry.open(repoId);
    return readAtTime(repository, time, path, ref);
  }
}
