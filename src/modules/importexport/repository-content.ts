/**
 * What every import path (bundle, server path, URL, backup restore) hands over: objects, refs
 * and HEAD, checked here the same way (ref names, strict object checks, connectivity) before
 * anything is stored, then written into an empty repository in one serialized write: objects,
 * all refs in one all-or-nothing compare-and-swap batch (each expected absent), HEAD, and the
 * working state moved to the new HEAD.
 */
import {
  checkConnectivity,
  checkObjects,
  ConcurrentUpdateError,
  refNameProblem,
  RejectedObjectError,
  type Oid,
  type RawObject,
  type Repository,
  type Signature,
} from '../../core';
import type { RepositoryRegistry } from '../git-core/repository-registry';
import { RepoNotEmptyError } from './importexport-errors';

/** Object bytes per write of an import. */
export const OBJECT_BATCH_BYTES = 128 * 1024 * 1024;

export interface ImportRef {
  readonly name: string;
  readonly oid: Oid;
}

export interface RepositoryContent {
  readonly objects: ReadonlyMap<Oid, RawObject>;
  readonly refs: readonly ImportRef[];
  /** Where HEAD should point (`refs/heads/x`); chosen from the refs when absent. */
  readonly head?: string;
  /** Already passed verifyContent (an upload checked during its request). */
  readonly verified?: boolean;
}

export interface ContentSummary {
  readonly refs: number;
  readonly commits: number;
  readonly objects: number;
}

/** Throws RejectedObjectError when a ref name, an object or the history's completeness fails. */
export function verifyContent(
  content: RepositoryContent,
  onProgress?: (done: number) => void,
): void {
  const names = new Set<string>();
  for (const ref of content.refs) {
    if (names.has(ref.name)) throw new RejectedObjectError(`ref '${ref.name}' appears twice`);
    names.add(ref.name);
    const problem = ref.name.startsWith('refs/') ? refNameProblem(ref.name) : 'not under refs/';
    if (problem !== undefined)
      throw new RejectedObjectError(`ref '${ref.name}' refused: ${problem}`);
  }
  checkObjects(content.objects, onProgress);
  checkConnectivity(
    (oid) => content.objects.get(oid),
    content.refs.map((ref) => ref.oid),
  );
}

export function summarize(content: RepositoryContent): ContentSummary {
  let commits = 0;
  for (const object of content.objects.values()) if (object.type === 'commit') commits++;
  return { refs: content.refs.length, commits, objects: content.objects.size };
}

/** HEAD's target: the given one when it is among the branches, else main, master, the first. */
export function chooseHead(content: RepositoryContent): string | undefined {
  const branches = content.refs.filter((ref) => ref.name.startsWith('refs/heads/'));
  const names = new Set(branches.map((ref) => ref.name));
  if (content.head !== undefined && names.has(content.head)) return content.head;
  for (const preferred of ['refs/heads/main', 'refs/heads/master']) {
    if (names.has(preferred)) return preferred;
  }
  return branches[0]?.name;
}

/** The branch a bundle's `HEAD` line names: the branch with its id (main/master first). */
export function headFromOid(
  refs: readonly ImportRef[],
  headOid: Oid | undefined,
): string | undefined {
  if (headOid === undefined) return undefined;
  const matching = refs.filter((ref) => ref.name.startsWith('refs/heads/') && ref.oid === headOid);
  return (
    matching.find((ref) => ref.name === 'refs/heads/main' || ref.name === 'refs/heads/master') ??
    matching[0]
  )?.name;
}

/** True when the repository has no ref under refs/ (what an import needs). */
export async function isEmptyRepository(
  registry: RepositoryRegistry,
  id: string,
): Promise<boolean> {
  const { repository } = await registry.open(id);
  return repository.refs.list('refs/').length === 0;
}

/**
 * Writes verified content into the (empty) repository `id`. Throws RepoNotEmptyError when refs
 * appeared meanwhile, ConcurrentUpdateError when the batch lost a race.
 */
export async function writeContent(
  registry: RepositoryRegistry,
  id: string,
  content: RepositoryContent,
  message: string,
  onBatch?: () => void,
  batchLimit: number = OBJECT_BATCH_BYTES,
): Promise<void> {
  const head = chooseHead(content);
  // Objects go in bounded batches, each its own durable write (a storage unit of work, e.g. one
  // journal record, stays bounded); nothing points at them until the last write sets the refs.
  let batch: Array<readonly [Oid, RawObject]> = [];
  let batchBytes = 0;
  const insertBatch = (repository: Repository): void => {
    if (repository.refs.list('refs/').length > 0) throw new RepoNotEmptyError(id);
    for (const [oid, object] of batch) repository.odb.store.insert(oid, object);
    batch = [];
    batchBytes = 0;
  };
  for (const entry of content.objects) {
    batch.push(entry);
    batchBytes += entry[1].body.length;
    if (batchBytes >= batchLimit) {
      await registry.write(id, ({ repository }) => insertBatch(repository));
      onBatch?.();
    }
  }
  await registry.write(id, ({ repository }) => {
    insertBatch(repository);
    const committer: Signature = {
      name: 'govc',
      email: 'govc@localhost',
      timestamp: Math.floor(Date.now() / 1000),
      timezone: '+0000',
    };
    const outcome = repository.refs.updateMany(
      content.refs.map((ref) => ({
        name: ref.name,
        expect: null,
        next: ref.oid,
        reflog: { committer, message },
      })),
    );
    if (!outcome.ok) {
      const failed = content.refs[outcome.results.findIndex((r) => r.status === 'lock-failure')];
      throw new ConcurrentUpdateError(failed?.name ?? 'refs', null, null);
    }
    if (head !== undefined) repository.refs.setSymbolic('HEAD', head);
    repository.syncToHead();
  });
}

/** Removes refs an import created (undo of a cancelled import into an existing repository). */
export async function removeRefs(
  registry: RepositoryRegistry,
  id: string,
  refs: readonly ImportRef[],
): Promise<void> {
  await registry.write(id, ({ repository }) => {
    for (const ref of refs) repository.refs.update({ name: ref.name, expect: ref.oid, next: null });
    repository.syncToHead();
  });
}
