/**
 * TestRepo: a fluent builder of Repository histories for engine tests, in the style of JGit's
 * TestRepository. Commits are written straight to the object database (trees built from the
 * parent's tree plus the given changes), so a test states only what matters to it:
 *
 *   const t = TestRepo.create();                                  // memory stores, TestClock
 *   const c1 = t.commit({ files: { 'a.txt': 'x', 'dir/b': 'y' } }); // root commit on main
 *   const c2 = t.commit({ files: { 'a.txt': null } });             // delete; parent = main's tip
 *   t.branch('feature', c1);                                      // create or move a branch
 *   const f1 = t.commit({ branch: 'feature', files: { 'f': { content: '#!/bin/sh', mode: '100755' } } });
 *   const m = t.commit({ parents: [c2, f1], message: 'merge' });  // tree = first parent's + files
 *   t.tag('v1', c1);                                              // lightweight
 *   t.tag('v2', m, { message: 'release' });                       // annotated tag object
 *   t.repo.checkout('feature');                                   // then the real API
 *
 * Rules: `branch` defaults to the current branch (HEAD itself when detached); parents default
 * to that branch's tip (none on an unborn branch); the branch is moved (forced) to the new
 * commit. When it is the checked-out branch and the working state was clean, the working
 * state follows, as if the commit had been made through the API. The TestClock ticks one
 * second before each commit and tag, so ids are deterministic and times strictly increase.
 */
import { FileMode } from '../../src/core/objects/file-mode';
import { EMPTY_TREE_OID } from '../../src/core/objects/object-database';
import type { Oid } from '../../src/core/objects/oid';
import type { Signature } from '../../src/core/objects/signature';
import { updateRef } from '../../src/core/refs/ref-update';
import { branchRef, HEAD, resolveRef } from '../../src/core/refs/resolve-ref';
import type { Clock } from '../../src/core/repo/clock';
import type { PathChange } from '../../src/core/repo/path-overlay';
import { buildTree } from '../../src/core/repo/tree-builder';
import { walkTreeFiles } from '../../src/core/repo/tree-view';
import { Repository } from '../../src/core/repo/repository';

/** 2023-11-14T22:13:20Z: a fixed start so commit ids are the same on every run. */
export const TEST_EPOCH = 1_700_000_000;

export const TEST_AUTHOR = { name: 'Test Author', email: 'author@example.com' } as const;

/** A settable clock: `now()` returns `time`; `tick` advances it. */
export class TestClock implements Clock {
  constructor(public time: number = TEST_EPOCH) {}

  now(): number {
    return this.time;
  }

  tick(seconds = 1): number {
    this.time += seconds;
    return this.time;
  }
}

/** A file in a commit spec: text, bytes, an explicit mode, or null to delete the path. */
export type FileSpec =
  string | Uint8Array | { readonly content: string | Uint8Array; readonly mode: string } | null;

export interface TestCommitSpec {
  /** Changes on top of the first parent's tree. */
  readonly files?: Readonly<Record<string, FileSpec>>;
  readonly message?: string;
  readonly parents?: readonly Oid[];
  /** The branch to move; default the current branch (HEAD when detached). */
  readonly branch?: string;
  readonly author?: { readonly name: string; readonly email: string };
}

export interface TestRepoOptions {
  readonly clock?: TestClock;
  readonly defaultBranch?: string;
}

export class TestRepo {
  private counter = 0;

  private constructor(
    readonly repo: Repository,
    readonly clock: TestClock,
  ) {}

  static create(options: TestRepoOptions = {}): TestRepo {
    const clock = options.clock ?? new TestClock();
    return new TestRepo(
      new Repository({
        clock,
        ...(options.defaultBranch ? { defaultBranch: options.defaultBranch } : {}),
      }),
      clock,
    );
  }

  /** Writes a commit as described (see the header) and returns its id. */
  commit(spec: TestCommitSpec = {}): Oid {
    const { odb, refs, graph, working } = this.repo;
    const head = resolveRef(refs, HEAD);
    const ref = spec.branch !== undefined ? branchRef(spec.branch) : head.name;
    const tip = resolveRef(refs, ref).oid;
    const parents = spec.parents ?? (tip === null ? [] : [tip]);
    const baseTree = parents[0] === undefined ? EMPTY_TREE_OID : odb.readCommit(parents[0]).tree;

    const changes: Array<[string, PathChange]> = [];
    for (const [path, file] of Object.entries(spec.files ?? {})) {
      if (file === null) changes.push([path, null]);
      else if (typeof file === 'string' || file instanceof Uint8Array)
        changes.push([path, { mode: FileMode.Regular, oid: odb.writeBlob(file) }]);
      else changes.push([path, { mode: file.mode, oid: odb.writeBlob(file.content) }]);
    }
    const tree = buildTree(odb, baseTree, changes);

    const time = this.clock.tick();
    const who = spec.author ?? TEST_AUTHOR;
    const signature: Signature = {
      name: who.name,
      email: who.email,
      timestamp: time,
      timezone: '+0000',
    };
    const oid = odb.writeCommit({
      tree,
      parents,
      author: signature,
      committer: signature,
      extraHeaders: [],
      message: `${spec.message ?? `commit ${++this.counter}`}\n`,
    });

    // Keep the checkout in step when this moves the checked-out branch of a clean working state.
    const followsHead =
      ref === head.name && working.isPristine && working.baseTree === this.treeOf(tip);
    const result = updateRef(refs, graph, { name: ref, expect: tip, next: oid, force: true });
    if (result.status === 'lock-failure' || result.status === 'rejected')
      throw new Error(`TestRepo: could not move ${ref}`);
    if (followsHead) working.resetTo(tree);
    return oid;
  }

  /** Creates or moves branch `name` to `at` (an id or revision; default HEAD). Returns the id. */
  branch(name: string, at: string = HEAD): Oid {
    const oid = this.repo.resolveCommit(at);
    const ref = branchRef(name);
    const current = resolveRef(this.repo.refs, ref).oid;
    updateRef(this.repo.refs, this.repo.graph, {
      name: ref,
      expect: current,
      next: oid,
      force: true,
    });
    return oid;
  }

  /** Creates a tag on `at` (default HEAD); annotated when `message` is given. Returns the ref's target. */
  tag(name: string, at: string = HEAD, options: { readonly message?: string } = {}): Oid {
    this.clock.tick();
    const info = this.repo.createTag(name, at, {
      ...(options.message !== undefined ? { message: options.message, tagger: TEST_AUTHOR } : {}),
    });
    return info.object ?? info.commit;
  }

  /** Every file of a commit as path → UTF-8 text (modes and binary content ignored). */
  files(at: string = HEAD): Record<string, string> {
    const { odb } = this.repo;
    const files: Record<string, string> = {};
    walkTreeFiles(odb, odb.readCommit(this.repo.resolveCommit(at)).tree, '', (path, entry) => {
      files[path] = Buffer.from(odb.readBlob(entry.oid)).toString('utf8');
    });
    return files;
  }

  private treeOf(commit: Oid | null): Oid {
    return commit === null ? EMPTY_TREE_OID : this.repo.odb.readCommit(commit).tree;
  }
}
