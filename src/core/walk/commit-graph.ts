/**
 * The commit-graph cache: parents, generation number, committer time and root tree of every
 * commit a walk has touched, parsed once from ObjectDatabase.readCommit and kept forever
 * (commits are immutable, so an entry can never go stale).
 *
 * Commits get a dense integer index on first use; the walks (log, merge-base, time travel)
 * work on those indexes and plain arrays, never on parsed commits or Maps per edge. Loading a
 * commit loads all its ancestors too, because its generation number needs theirs: the first
 * touch of a 10,000-commit tip parses 10,000 commits, every later walk parses none.
 *
 * Relies on: ObjectDatabase (reads throw ObjectNotFoundError / UnexpectedObjectTypeError).
 */
import type { Commit } from '../objects/commit';
import type { ObjectDatabase } from '../objects/object-database';
import type { Oid } from '../objects/oid';
import { WalkScratch } from './walk-scratch';

export class CommitGraph {
  private readonly indexes = new Map<Oid, number>();
  private readonly oids: Oid[] = [];
  private readonly parentOidLists: (readonly Oid[])[] = [];
  private readonly parentIndexLists: (readonly number[])[] = [];
  private readonly generations: number[] = [];
  private readonly times: number[] = [];
  private readonly trees: Oid[] = [];
  private readonly freeScratch: WalkScratch[] = [];

  constructor(readonly odb: ObjectDatabase) {}

  /** Number of commits loaded so far. */
  get size(): number {
    return this.oids.length;
  }

  /** True when the commit is already loaded (does not read the object database). */
  isLoaded(oid: Oid): boolean {
    return this.indexes.has(oid);
  }

  /** True when `oid` names a commit in the object database; never throws. */
  isCommit(oid: Oid): boolean {
    if (this.indexes.has(oid)) return true;
    return this.odb.has(oid) && this.odb.typeOf(oid) === 'commit';
  }

  /** Parent ids in commit order (first parent first). Throws if `oid` is not a readable commit. */
  parents(oid: Oid): readonly Oid[] {
    return this.parentOidLists[this.indexOf(oid)]!;
  }

  /** 1 for a root commit, else 1 + the largest generation of its parents. */
  generation(oid: Oid): number {
    return this.generations[this.indexOf(oid)]!;
  }

  /** Committer time, Unix seconds. */
  commitTime(oid: Oid): number {
    return this.times[this.indexOf(oid)]!;
  }

  /** The commit's root tree id. */
  tree(oid: Oid): Oid {
    return this.trees[this.indexOf(oid)]!;
  }

  /**
   * True when `ancestor` is reachable from `descendant` by parent links; a commit is its own
   * ancestor. Generation numbers prune the search: nothing at or below the ancestor's
   * generation (other than itself) can lead to it.
   */
  isAncestor(ancestor: Oid, descendant: Oid): boolean {
    const target = this.indexOf(ancestor);
    const start = this.indexOf(descendant);
    if (target === start) return true;
    const floor = this.generations[target]!;
    if (floor >= this.generations[start]!) return false;
    const scratch = this.acquireScratch();
    try {
      const stack = [start];
      scratch.setFlags(start, 1);
      while (stack.length > 0) {
        const current = stack.pop()!;
        for (const parent of this.parentIndexLists[current]!) {
          if (parent === target) return true;
          if (this.generations[parent]! <= floor || scratch.flags(parent) !== 0) continue;
          scratch.setFlags(parent, 1);
          stack.push(parent);
        }
      }
      return false;
    } finally {
      this.releaseScratch(scratch);
    }
  }

  // --- Dense-index API for the walks in this folder (not part of the engine's public surface).

  /** The dense index of a commit, loading it and all its ancestors on first use. */
  indexOf(oid: Oid): number {
    const known = this.indexes.get(oid);
    return known !== undefined ? known : this.load(oid);
  }

  oidAt(index: number): Oid {
    return this.oids[index]!;
  }

  parentsAt(index: number): readonly number[] {
    return this.parentIndexLists[index]!;
  }

  parentOidsAt(index: number): readonly Oid[] {
    return this.parentOidLists[index]!;
  }

  generationAt(index: number): number {
    return this.generations[index]!;
  }

  timeAt(index: number): number {
    return this.times[index]!;
  }

  treeAt(index: number): Oid {
    return this.trees[index]!;
  }

  /** Scratch memory for one walk, sized for the whole graph; give it back with releaseScratch. */
  acquireScratch(): WalkScratch {
    const scratch = this.freeScratch.pop() ?? new WalkScratch();
    scratch.begin(this.oids.length);
    return scratch;
  }

  releaseScratch(scratch: WalkScratch): void {
    this.freeScratch.push(scratch);
  }

  /**
   * Iterative post-order load (recursion would overflow on long histories): a commit gets its
   * index only after all its parents have one, so indexes are a topological order (parents
   * first) and a failed read leaves no half-loaded entry behind.
   */
  private load(oid: Oid): number {
    const stack: Oid[] = [oid];
    // Held here, not re-read: the odb's LRU may have evicted a commit by the time we unwind to it.
    const pending = new Map<Oid, Commit>();
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      if (this.indexes.has(top)) {
        stack.pop();
        continue;
      }
      let commit = pending.get(top);
      if (commit === undefined) {
        commit = this.odb.readCommit(top);
        pending.set(top, commit);
      }
      let ready = true;
      for (const parent of commit.parents) {
        if (!this.indexes.has(parent)) {
          stack.push(parent);
          ready = false;
        }
      }
      if (!ready) continue;
      stack.pop();
      pending.delete(top);
      const parentIndexes: number[] = [];
      let generation = 0;
      for (const parent of commit.parents) {
        const index = this.indexes.get(parent)!;
        parentIndexes.push(index);
        const g = this.generations[index]!;
        if (g > generation) generation = g;
      }
      const index = this.oids.length;
      this.indexes.set(top, index);
      this.oids.push(top);
      this.parentOidLists.push(commit.parents);
      this.parentIndexLists.push(parentIndexes);
      this.generations.push(generation + 1);
      this.times.push(commit.committer.timestamp);
      this.trees.push(commit.tree);
    }
    return this.indexes.get(oid)!;
  }
}
