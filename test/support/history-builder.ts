/**
 * Builds small commit histories on the memory stores for walk and ref tests: commits with
 * explicit parents, committer times and full file snapshots, written with git-identical bytes
 * (so the same objects can be handed to the real git for interop checks).
 */
import { FileMode } from '../../src/core/objects/file-mode';
import { ObjectDatabase } from '../../src/core/objects/object-database';
import type { Oid } from '../../src/core/objects/oid';
import type { Signature } from '../../src/core/objects/signature';
import type { TreeEntry } from '../../src/core/objects/tree';
import { MemoryObjectStore } from '../../src/core/storage/memory/memory-object-store';
import { MemoryRefStore } from '../../src/core/storage/memory/memory-ref-store';
import { CommitGraph } from '../../src/core/walk/commit-graph';

/** A snapshot: every file path (with `/`) mapped to its text content. */
export type Files = Readonly<Record<string, string>>;

export interface CommitSpec {
  readonly parents?: readonly Oid[];
  /** Committer (and author) time; default: one minute after the previous commit built. */
  readonly time?: number;
  /** The full snapshot; default: the first parent's files (an empty commit). */
  readonly files?: Files;
  readonly message?: string;
}

export const BASE_TIME = 1_700_000_000;

export function signature(timestamp: number): Signature {
  return { name: 'Test Committer', email: 'committer@example.com', timestamp, timezone: '+0000' };
}

export class HistoryBuilder {
  readonly store = new MemoryObjectStore();
  readonly odb = new ObjectDatabase(this.store);
  readonly refs = new MemoryRefStore();
  readonly graph = new CommitGraph(this.odb);
  private clock = BASE_TIME;
  private counter = 0;
  private readonly snapshots = new Map<Oid, Files>();

  constructor() {
    this.refs.setSymbolic('HEAD', 'refs/heads/main');
  }

  commit(spec: CommitSpec = {}): Oid {
    const parents = spec.parents ?? [];
    const files = spec.files ?? (parents[0] !== undefined ? this.files(parents[0]) : {});
    const time = spec.time ?? (this.clock += 60);
    const oid = this.odb.writeCommit({
      tree: this.writeTree(files),
      parents,
      author: signature(time),
      committer: signature(time),
      extraHeaders: [],
      message: `${spec.message ?? `commit ${++this.counter}`}\n`,
    });
    this.snapshots.set(oid, files);
    return oid;
  }

  /** A chain of `count` commits on top of `parent` (or a new root); returns them oldest first. */
  chain(count: number, parent?: Oid): Oid[] {
    const oids: Oid[] = [];
    let previous = parent;
    for (let i = 0; i < count; i++) {
      const files = {
        ...(previous ? this.files(previous) : {}),
        [`file${this.counter}.txt`]: `${this.counter}`,
      };
      previous = this.commit({ parents: previous ? [previous] : [], files });
      oids.push(previous);
    }
    return oids;
  }

  files(oid: Oid): Files {
    const files = this.snapshots.get(oid);
    if (!files) throw new Error(`commit ${oid} was not built by this builder`);
    return files;
  }

  /** Points a branch at a commit, without a reflog entry. */
  setBranch(name: string, oid: Oid): void {
    const ref = `refs/heads/${name}`;
    const current = this.refs.read(ref);
    this.refs.update({
      name: ref,
      expect: current?.kind === 'direct' ? current.oid : null,
      next: oid,
    });
  }

  /** Writes the nested trees for a flat snapshot and returns the root tree id. */
  writeTree(files: Files): Oid {
    const here: TreeEntry[] = [];
    const subdirs = new Map<string, Record<string, string>>();
    for (const [path, content] of Object.entries(files)) {
      const slash = path.indexOf('/');
      if (slash < 0) {
        here.push({ mode: FileMode.Regular, name: path, oid: this.odb.writeBlob(content) });
      } else {
        const dir = path.slice(0, slash);
        const inner = subdirs.get(dir) ?? {};
        inner[path.slice(slash + 1)] = content;
        subdirs.set(dir, inner);
      }
    }
    for (const [dir, inner] of subdirs)
      here.push({ mode: FileMode.Tree, name: dir, oid: this.writeTree(inner) });
    return this.odb.writeTree(here);
  }
}
