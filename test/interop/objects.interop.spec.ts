/**
 * The engine's objects must be git's objects: for random trees, commits and tags, the ids the
 * engine computes equal the ids git computes from the same content (git mktree, commit-tree
 * with the same identities, dates and message, mktag), git's bodies parse back to the same
 * values, and objects the engine writes as loose files into a bare repository pass
 * `git fsck --strict` and read back identically. Git calls are batched or kept to one per
 * commit/tag so the file stays within a few seconds.
 */
import fc from 'fast-check';
import { parseCommit, serializeCommit, type Commit } from '../../src/core/objects/commit';
import { hashObject, type ObjectType, type RawObject } from '../../src/core/objects/git-object';
import type { Oid } from '../../src/core/objects/oid';
import { formatSignature, type Signature } from '../../src/core/objects/signature';
import { parseTag, serializeTag, type Tag } from '../../src/core/objects/tag';
import {
  compareTreeEntries,
  parseTree,
  serializeTree,
  type TreeEntry,
} from '../../src/core/objects/tree';
import { encodeLooseObject, looseObjectPath } from '../../src/core/storage/loose-object';
import { fcParams } from '../support/fast-check';
import { git, gitAvailable, gitResult, tempBareRepo } from '../support/git-cli';
import {
  gitCatFileBatch,
  gitFastImport,
  gitHashObjects,
  gitMktreeBatch,
  writeLooseFiles,
} from '../support/git-objects';
import {
  blobBodyArb,
  fsckCleanNameArb,
  gitMessageArb,
  gitSignatureArb,
  gpgsigArb,
  oidArb,
} from '../support/object-arbitraries';

// ---------------------------------------------------------------------------------------------
// A generated object graph: shapes refer to earlier objects by index, so every link is real.

type EntryKind = 'file' | 'exec' | 'symlink' | 'tree' | 'gitlink';

interface EntryShape {
  readonly name: string;
  readonly kind: EntryKind;
  readonly ref: number;
  readonly gitlink: Oid;
}

interface CommitShape {
  readonly tree: number;
  readonly parents: readonly number[];
  readonly author: Signature;
  readonly committer: Signature;
  readonly message: string;
  readonly latin1Label: boolean;
  /** Only for the engine-written (fsck) graph: git's CLI cannot add a made-up signature. */
  readonly gpgsig: string | null;
}

interface TagShape {
  readonly target: 'blob' | 'tree' | 'commit' | 'tag';
  readonly ref: number;
  readonly name: string;
  readonly tagger: Signature;
  readonly message: string;
}

interface GraphShape {
  readonly blobs: readonly Uint8Array[];
  readonly trees: ReadonlyArray<readonly EntryShape[]>;
  readonly commits: readonly CommitShape[];
  readonly tags: readonly TagShape[];
}

interface Graph {
  readonly blobs: ReadonlyArray<{ oid: Oid; body: Uint8Array }>;
  readonly trees: ReadonlyArray<{ oid: Oid; entries: TreeEntry[] }>;
  readonly commits: ReadonlyArray<{ oid: Oid; commit: Commit; shape: CommitShape }>;
  readonly tags: ReadonlyArray<{ oid: Oid; tag: Tag }>;
}

const MODE_OF: Record<EntryKind, string> = {
  file: '100644',
  exec: '100755',
  symlink: '120000',
  tree: '40000',
  gitlink: '160000',
};

const entryShapeArb: fc.Arbitrary<EntryShape> = fc.record({
  name: fsckCleanNameArb,
  kind: fc.constantFrom<EntryKind>('file', 'file', 'exec', 'symlink', 'tree', 'tree', 'gitlink'),
  ref: fc.nat(),
  gitlink: oidArb,
});

const tagNameArb: fc.Arbitrary<string> = fc.oneof(
  fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,10}(\.[0-9]{1,3}){0,2}$/),
  // Upper case: the pattern above never yields `Release`, so no name is a directory of another.
  fc.constantFrom('V1.0.0', 'Release/2024-01', 'ünïcödé', 'v2-😀'),
);

function commitShapeArb(withSignatures: boolean): fc.Arbitrary<CommitShape> {
  return fc.record({
    tree: fc.nat(),
    parents: fc.uniqueArray(fc.nat(), { maxLength: 3 }),
    author: gitSignatureArb,
    committer: gitSignatureArb,
    message: gitMessageArb,
    latin1Label: fc.boolean(),
    gpgsig: withSignatures ? fc.option(gpgsigArb, { nil: null }) : fc.constant(null),
  });
}

const tagShapeArb: fc.Arbitrary<TagShape> = fc.record({
  target: fc.constantFrom<TagShape['target']>('commit', 'commit', 'tree', 'blob', 'tag'),
  ref: fc.nat(),
  name: tagNameArb,
  tagger: gitSignatureArb,
  message: gitMessageArb,
});

function graphShapeArb(size: number, withSignatures: boolean): fc.Arbitrary<GraphShape> {
  return fc.record({
    blobs: fc.array(blobBodyArb, { minLength: 4, maxLength: 12 }),
    trees: fc.array(fc.uniqueArray(entryShapeArb, { selector: (e) => e.name, maxLength: 8 }), {
      minLength: size,
      maxLength: size,
    }),
    commits: fc.array(commitShapeArb(withSignatures), { minLength: size, maxLength: size }),
    // Unique names: fast-import refuses two updates of one tag ref in a stream.
    tags: fc.uniqueArray(tagShapeArb, {
      selector: (t) => t.name,
      minLength: size,
      maxLength: size,
    }),
  });
}

/** Resolves index references to real ids, computing every id with the engine. */
function buildGraph(shape: GraphShape): Graph {
  const blobs = shape.blobs.map((body) => ({ oid: hashObject('blob', body), body }));
  const trees: Array<{ oid: Oid; entries: TreeEntry[] }> = [];
  for (const entryShapes of shape.trees) {
    const entries = entryShapes.map((e): TreeEntry => {
      const kind: EntryKind = e.kind === 'tree' && trees.length === 0 ? 'file' : e.kind;
      const oid =
        kind === 'tree'
          ? trees[e.ref % trees.length]!.oid
          : kind === 'gitlink'
            ? e.gitlink
            : blobs[e.ref % blobs.length]!.oid;
      return { mode: MODE_OF[kind], name: e.name, oid };
    });
    trees.push({ oid: hashObject('tree', serializeTree(entries)), entries });
  }
  const commits: Array<{ oid: Oid; commit: Commit; shape: CommitShape }> = [];
  for (const c of shape.commits) {
    const parents = [
      ...new Set(
        c.parents.filter(() => commits.length > 0).map((p) => commits[p % commits.length]!.oid),
      ),
    ];
    const extraHeaders: Array<[string, string]> = [];
    if (c.latin1Label) extraHeaders.push(['encoding', 'ISO-8859-1']);
    if (c.gpgsig !== null) extraHeaders.push(['gpgsig', c.gpgsig]);
    const commit: Commit = {
      tree: trees[c.tree % trees.length]!.oid,
      parents,
      author: c.author,
      committer: c.committer,
      extraHeaders,
      message: c.message,
    };
    commits.push({ oid: hashObject('commit', serializeCommit(commit)), commit, shape: c });
  }
  const tags: Array<{ oid: Oid; tag: Tag }> = [];
  for (const t of shape.tags) {
    const target: { oid: Oid; type: ObjectType } =
      t.target === 'tag' && tags.length > 0
        ? { oid: tags[t.ref % tags.length]!.oid, type: 'tag' }
        : t.target === 'tree'
          ? { oid: trees[t.ref % trees.length]!.oid, type: 'tree' }
          : t.target === 'blob'
            ? { oid: blobs[t.ref % blobs.length]!.oid, type: 'blob' }
            : { oid: commits[t.ref % commits.length]!.oid, type: 'commit' };
    const tag: Tag = {
      object: target.oid,
      type: target.type,
      name: t.name,
      tagger: t.tagger,
      extraHeaders: [],
      message: t.message,
    };
    tags.push({ oid: hashObject('tag', serializeTag(tag)), tag });
  }
  return { blobs, trees, commits, tags };
}

function identityEnv(role: 'AUTHOR' | 'COMMITTER', sig: Signature): Record<string, string> {
  return {
    [`GIT_${role}_NAME`]: sig.name,
    [`GIT_${role}_EMAIL`]: sig.email,
    [`GIT_${role}_DATE`]: `@${sig.timestamp} ${sig.timezone}`,
  };
}

/** What `git commit-tree` makes of the same tree, parents, identities, dates and message. */
function gitCommitTree(repo: string, commit: Commit, latin1Label: boolean): Oid {
  const args = latin1Label ? ['-c', 'i18n.commitEncoding=ISO-8859-1'] : [];
  args.push('commit-tree', commit.tree, ...commit.parents.flatMap((p) => ['-p', p]));
  return git(args, {
    cwd: repo,
    input: commit.message,
    env: { ...identityEnv('AUTHOR', commit.author), ...identityEnv('COMMITTER', commit.committer) },
  }).trim();
}

function dataCommand(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  return Buffer.concat([Buffer.from(`data ${bytes.length}\n`), bytes, Buffer.from('\n')]);
}

/**
 * One fast-import stream that has git build every commit and tag of the graph from content:
 * commit i is mark i+1 (parents by mark, the root tree by id), tag j is mark commits+j+1.
 */
function fastImportStream(graph: Graph): Buffer {
  const parts: Buffer[] = [];
  const commitMark = new Map<Oid, number>();
  graph.commits.forEach(({ oid, commit }, i) => {
    const mark = i + 1;
    commitMark.set(oid, mark);
    const encoding = commit.extraHeaders.find(([key]) => key === 'encoding');
    parts.push(
      Buffer.from(
        `commit refs/heads/c${i}\nmark :${mark}\n` +
          `author ${formatSignature(commit.author)}\ncommitter ${formatSignature(commit.committer)}\n` +
          (encoding ? `encoding ${encoding[1]}\n` : ''),
      ),
      dataCommand(commit.message),
      Buffer.from(
        commit.parents
          .map((p, k) => `${k === 0 ? 'from' : 'merge'} :${commitMark.get(p)!}\n`)
          .join('') + `M 040000 ${commit.tree} ""\n\n`,
      ),
    );
  });
  const tagMark = new Map<Oid, number>();
  graph.tags.forEach(({ oid, tag }, j) => {
    const mark = graph.commits.length + j + 1;
    tagMark.set(oid, mark);
    const from =
      tag.type === 'commit'
        ? `:${commitMark.get(tag.object)!}`
        : tag.type === 'tag'
          ? `:${tagMark.get(tag.object)!}`
          : tag.object;
    parts.push(
      Buffer.from(
        `tag ${tag.name}\nmark :${mark}\nfrom ${from}\ntagger ${formatSignature(tag.tagger!)}\n`,
      ),
      dataCommand(tag.message),
    );
  });
  return Buffer.concat(parts);
}

function allObjects(graph: Graph): Array<{ oid: Oid; object: RawObject }> {
  return [
    ...graph.blobs.map((b) => ({ oid: b.oid, object: { type: 'blob' as const, body: b.body } })),
    ...graph.trees.map((t) => ({
      oid: t.oid,
      object: { type: 'tree' as const, body: serializeTree(t.entries) },
    })),
    ...graph.commits.map((c) => ({
      oid: c.oid,
      object: { type: 'commit' as const, body: serializeCommit(c.commit) },
    })),
    ...graph.tags.map((t) => ({
      oid: t.oid,
      object: { type: 'tag' as const, body: serializeTag(t.tag) },
    })),
  ];
}

/** fast-check settings for properties whose every run spawns git: few runs, bounded time. */
function interopParams(numRuns: number): fc.Parameters<unknown> {
  return { ...fcParams(numRuns), interruptAfterTimeLimit: 15_000, markInterruptAsFailure: true };
}

const describeWithGit = gitAvailable() ? describe : describe.skip;

describeWithGit('objects interop with git', () => {
  it('computes the ids git computes for the same trees, commits and tags (60 of each per run)', () => {
    fc.assert(
      fc.property(graphShapeArb(60, false), (shape) => {
        const graph = buildGraph(shape);
        const repo = tempBareRepo();
        try {
          const blobIds = gitHashObjects(
            graph.blobs.map((b) => ({ type: 'blob', body: b.body })),
            { repo: repo.path },
          );
          expect(blobIds).toEqual(graph.blobs.map((b) => b.oid));

          const treeIds = gitMktreeBatch(
            repo.path,
            graph.trees.map((t) => t.entries),
            { missing: false },
          );
          expect(treeIds).toEqual(graph.trees.map((t) => t.oid));

          // Git builds every commit and tag from the same fields (parents by mark, not by our ids).
          const marks = gitFastImport(repo.path, fastImportStream(graph));
          expect(graph.commits.map((_, i) => marks.get(i + 1))).toEqual(
            graph.commits.map((c) => c.oid),
          );
          expect(graph.tags.map((_, j) => marks.get(graph.commits.length + j + 1))).toEqual(
            graph.tags.map((t) => t.oid),
          );

          // And through the porcelain-free plumbing, with identities and dates from the environment.
          for (const { oid, commit, shape: c } of graph.commits.slice(-6)) {
            expect(gitCommitTree(repo.path, commit, c.latin1Label)).toBe(oid);
          }
          for (const { oid, tag } of graph.tags.slice(-6)) {
            expect(git(['mktag'], { cwd: repo.path, input: serializeTag(tag) }).trim()).toBe(oid);
          }

          // Git's own bytes parse to the values we generated and re-serialize unchanged.
          const read = gitCatFileBatch(
            repo.path,
            [...graph.trees, ...graph.commits, ...graph.tags].map((o) => o.oid),
          );
          for (const { oid, entries } of graph.trees) {
            const body = read.get(oid)!.body;
            expect(parseTree(body)).toEqual([...entries].sort(compareTreeEntries));
            expect(Buffer.compare(serializeTree(parseTree(body)), Buffer.from(body))).toBe(0);
          }
          for (const { oid, commit } of graph.commits) {
            const body = read.get(oid)!.body;
            expect(parseCommit(body)).toEqual(commit);
            expect(Buffer.compare(serializeCommit(parseCommit(body)), Buffer.from(body))).toBe(0);
          }
          for (const { oid, tag } of graph.tags) {
            const body = read.get(oid)!.body;
            expect(parseTag(body)).toEqual(tag);
            expect(Buffer.compare(serializeTag(parseTag(body)), Buffer.from(body))).toBe(0);
          }
        } finally {
          repo.cleanup();
        }
      }),
      interopParams(2),
    );
  });

  it('writes loose objects that pass git fsck --strict and read back identically (60 of each per run)', () => {
    fc.assert(
      fc.property(graphShapeArb(60, true), (shape) => {
        const graph = buildGraph(shape);
        const repo = tempBareRepo();
        try {
          const objects = allObjects(graph);
          writeLooseFiles(
            repo.path,
            objects.map(({ oid, object }) => ({
              path: looseObjectPath(oid),
              data: encodeLooseObject(object.type, object.body),
            })),
          );
          // Refs at every commit and tag, so fsck also walks connectivity from them.
          const updates = [
            `create refs/heads/main ${graph.commits[graph.commits.length - 1]!.oid}\n`,
            ...graph.commits.map((c, i) => `create refs/heads/c${i} ${c.oid}\n`),
            ...graph.tags.map((t, i) => `create refs/tags/t${i} ${t.oid}\n`),
          ].join('');
          git(['update-ref', '--stdin'], { cwd: repo.path, input: updates });

          const fsck = gitResult(['fsck', '--strict', '--full', '--no-dangling', '--no-progress'], {
            cwd: repo.path,
          });
          expect({ status: fsck.status, stderr: fsck.stderr, stdout: fsck.stdout }).toEqual({
            status: 0,
            stderr: '',
            stdout: '',
          });

          const read = gitCatFileBatch(
            repo.path,
            objects.map((o) => o.oid),
          );
          for (const { oid, object } of objects) {
            const got = read.get(oid);
            expect(got?.type).toBe(object.type);
            expect(Buffer.compare(Buffer.from(got!.body), Buffer.from(object.body))).toBe(0);
          }
        } finally {
          repo.cleanup();
        }
      }),
      interopParams(2),
    );
  });

  it('sees git fsck --strict flag an engine-written tree with a .GIT entry (the check is not vacuous)', () => {
    const repo = tempBareRepo();
    try {
      const blob = Buffer.from('[core]\n');
      const blobOid = hashObject('blob', blob);
      const tree = serializeTree([{ mode: '100644', name: '.GIT', oid: blobOid }]);
      const treeOid = hashObject('tree', tree);
      writeLooseFiles(repo.path, [
        { path: looseObjectPath(blobOid), data: encodeLooseObject('blob', blob) },
        { path: looseObjectPath(treeOid), data: encodeLooseObject('tree', tree) },
      ]);
      const fsck = gitResult(['fsck', '--strict', '--full', '--no-dangling', '--no-progress'], {
        cwd: repo.path,
      });
      expect(fsck.status).not.toBe(0);
      expect(fsck.stdout + fsck.stderr).toMatch(/hasDotgit/);
    } finally {
      repo.cleanup();
    }
  });

  it('hashes git-valid commits and tags like git hash-object does without --literally', () => {
    fc.assert(
      fc.property(graphShapeArb(30, true), (shape) => {
        const graph = buildGraph(shape);
        const objects: RawObject[] = [
          ...graph.commits.map((c): RawObject => ({
            type: 'commit',
            body: serializeCommit(c.commit),
          })),
          ...graph.tags.map((t): RawObject => ({ type: 'tag', body: serializeTag(t.tag) })),
        ];
        expect(gitHashObjects(objects)).toEqual([
          ...graph.commits.map((c) => c.oid),
          ...graph.tags.map((t) => t.oid),
        ]);
      }),
      interopParams(2),
    );
  });
});
