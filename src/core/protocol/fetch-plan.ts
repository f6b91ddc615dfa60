/**
 * What a fetch sends: the objects reachable from the client's wants that it does not have, given
 * the commits we share ("haves" we know), its shallow boundary, a requested deepening and an
 * object filter. This is `git rev-list --objects <wants> --not <haves>` with shallow grafts, as
 * upload-pack hands it to pack-objects.
 *
 * - Commits: walked from the wants over parents, stopping at commits reachable from the haves
 *   and never going past a shallow commit (the client's boundary and the new one).
 * - Trees and blobs: everything under the new commits' trees except what the trees of the
 *   boundary ("edge") commits already hold; with a thin pack those edge objects at the same path
 *   are offered to the pack writer as delta bases.
 * - Shallow: `deepen N` (absolute, or relative to the client's boundary), `deepen-since` and
 *   `deepen-not` produce the new shallow commits and those of the client that stop being shallow,
 *   whose parents then become wanted (git's send_unshallow).
 *
 * Relies on the CommitGraph for parents and times; everything is synchronous over the in-memory
 * object store, so the plan is one consistent snapshot.
 */
import { isTreeMode } from '../objects/file-mode';
import type { ObjectType } from '../objects/git-object';
import type { ObjectDatabase } from '../objects/object-database';
import type { Oid } from '../objects/oid';
import type { CommitGraph } from '../walk/commit-graph';
import type { PackWriteEntry } from './pack-writer';

/** `deepen` values at or past this mean "all history" (git's INFINITE_DEPTH). */
export const INFINITE_DEPTH = 0x7fffffff;

export interface DeepenRequest {
  /** `deepen <n>` (n ≥ 1). */
  readonly depth?: number;
  /** `deepen-relative`: `depth` counts from the client's current boundary. */
  readonly relative?: boolean;
  /** `deepen-since <unix seconds>`. */
  readonly since?: number;
  /** `deepen-not <rev>` already resolved to commits. */
  readonly not?: readonly Oid[];
}

export interface ShallowUpdate {
  /** Commits that become shallow for the client (not already shallow there). */
  readonly shallow: Oid[];
  /** Client-shallow commits whose parents are now sent. */
  readonly unshallow: Oid[];
  /** Every commit whose parents the walk must not follow. */
  readonly cut: ReadonlySet<Oid>;
  /** Parents of unshallowed commits: wanted in addition to the client's wants. */
  readonly extraWants: Oid[];
}

export interface FetchPlanInput {
  readonly wants: readonly Oid[];
  /** Objects the client said it has and we have too. */
  readonly haves: readonly Oid[];
  /** Commits whose parents are not followed (shallow grafts). */
  readonly cut: ReadonlySet<Oid>;
  /** `filter blob:none`: omit blobs that are not wanted by id. */
  readonly omitBlobs?: boolean;
  /** Collect thin-pack bases (objects the client has at the paths we send). */
  readonly thin?: boolean;
  /** Annotated tags to add when the commit they peel to is sent (`include-tag`). */
  readonly tagCandidates?: readonly Oid[];
}

export interface FetchPlan {
  readonly objects: PackWriteEntry[];
  readonly thinBases: PackWriteEntry[];
  readonly commitCount: number;
}

/** Follows tags to the first non-tag object; every tag on the way is returned too. */
function peelChain(odb: ObjectDatabase, oid: Oid): { target: Oid; tags: Oid[] } {
  const tags: Oid[] = [];
  let current = oid;
  for (let depth = 0; depth < 64; depth++) {
    const object = odb.readObject(current);
    if (object.type !== 'tag') return { target: current, tags };
    tags.push(current);
    current = odb.readTag(current).object;
  }
  return { target: current, tags };
}

/**
 * The shallow boundary after this fetch (git's deepen / get_shallow_commits). `clientShallow`
 * are the client's `shallow` lines that name commits we have.
 */
export function planShallow(
  graph: CommitGraph,
  wants: readonly Oid[],
  clientShallow: readonly Oid[],
  deepen: DeepenRequest | undefined,
): ShallowUpdate {
  const clientSet = new Set(clientShallow);
  if (deepen === undefined) {
    return { shallow: [], unshallow: [], cut: clientSet, extraWants: [] };
  }
  const notShallow = new Set<Oid>();
  const shallow = new Set<Oid>();

  if (deepen.depth !== undefined && deepen.depth >= INFINITE_DEPTH) {
    for (const oid of clientShallow) notShallow.add(oid);
  } else if (deepen.depth !== undefined) {
    const starts = deepen.relative === true ? clientShallow : wants;
    const depthLimit = deepen.relative === true ? deepen.depth + 1 : deepen.depth;
    // Breadth first, so each commit gets its smallest depth (a tip has depth 1).
    const depthOf = new Map<Oid, number>();
    let frontier = starts.filter((oid) => graph.isCommit(oid));
    for (const oid of frontier) depthOf.set(oid, 1);
    for (let depth = 1; frontier.length > 0; depth++) {
      const next: Oid[] = [];
      for (const oid of frontier) {
        const parents = graph.parents(oid);
        if (depth >= depthLimit) {
          if (parents.length > 0) shallow.add(oid);
          continue;
        }
        notShallow.add(oid);
        for (const parent of parents) {
          if (depthOf.has(parent)) continue;
          depthOf.set(parent, depth + 1);
          next.push(parent);
        }
      }
      frontier = next;
    }
  } else {
    // deepen-since / deepen-not: keep commits newer than `since` and not reachable from `not`.
    const excluded = new Set<Oid>();
    for (const oid of deepen.not ?? []) walkCommits(graph, [oid], new Set(), excluded);
    const keep = (oid: Oid): boolean =>
      !excluded.has(oid) && (deepen.since === undefined || graph.commitTime(oid) >= deepen.since);
    const seen = new Set<Oid>();
    const stack = wants.filter((oid) => graph.isCommit(oid) && keep(oid));
    for (const oid of stack) seen.add(oid);
    while (stack.length > 0) {
      const oid = stack.pop()!;
      const parents = graph.parents(oid);
      const kept = parents.filter(keep);
      if (kept.length < parents.length) shallow.add(oid);
      else notShallow.add(oid);
      for (const parent of kept) {
        if (seen.has(parent)) continue;
        seen.add(parent);
        stack.push(parent);
      }
    }
  }

  const unshallow: Oid[] = [];
  const extraWants: Oid[] = [];
  for (const oid of clientShallow) {
    if (notShallow.has(oid) && !shallow.has(oid)) {
      unshallow.push(oid);
      extraWants.push(...graph.parents(oid));
    }
  }
  // The client's boundary stays grafted for the walk (send_unshallow re-registers it); the
  // parents of unshallowed commits are reached through extraWants instead.
  const cut = new Set<Oid>([...shallow, ...clientSet]);
  return {
    shallow: [...shallow].filter((oid) => !clientSet.has(oid)),
    unshallow,
    cut,
    extraWants,
  };
}

/** Adds every commit reachable from `starts` (not past `cut`) to `into`. */
function walkCommits(
  graph: CommitGraph,
  starts: readonly Oid[],
  cut: ReadonlySet<Oid>,
  into: Set<Oid>,
): void {
  const stack: Oid[] = [];
  for (const oid of starts) {
    if (!into.has(oid) && graph.isCommit(oid)) {
      into.add(oid);
      stack.push(oid);
    }
  }
  while (stack.length > 0) {
    const oid = stack.pop()!;
    if (cut.has(oid)) continue;
    for (const parent of graph.parents(oid)) {
      if (into.has(parent)) continue;
      into.add(parent);
      stack.push(parent);
    }
  }
}

/** Every tree and blob under `tree` into `seen`, with its path into `paths` when given. */
function collectTree(
  odb: ObjectDatabase,
  tree: Oid,
  seen: Set<Oid>,
  paths: Map<string, Oid> | undefined,
): void {
  if (seen.has(tree)) return;
  seen.add(tree);
  const stack: Array<[Oid, string]> = [[tree, '']];
  while (stack.length > 0) {
    const [oid, prefix] = stack.pop()!;
    for (const entry of odb.readTree(oid)) {
      if (entry.mode === '160000') continue;
      const path = prefix + entry.name;
      if (paths !== undefined && !paths.has(path)) paths.set(path, entry.oid);
      if (seen.has(entry.oid)) continue;
      seen.add(entry.oid);
      if (isTreeMode(entry.mode)) stack.push([entry.oid, `${path}/`]);
    }
  }
}

/**
 * Visits the entries of a raw tree body without parsing it into objects: most entries of a
 * fetch's trees were already sent, so only their id is needed; the name is decoded on demand.
 */
function scanTree(
  body: Uint8Array,
  visit: (kind: 'tree' | 'blob' | 'gitlink', oid: Oid, name: () => string) => void,
): void {
  const buf = Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.length);
  let pos = 0;
  while (pos < buf.length) {
    const space = buf.indexOf(0x20, pos);
    const nul = space < 0 ? -1 : buf.indexOf(0, space + 1);
    if (nul < 0 || nul + 21 > buf.length) return; // malformed: nothing more to send from it
    const kind = buf[pos] === 0x34 ? 'tree' : buf[pos + 1] === 0x36 ? 'gitlink' : 'blob';
    const start = space + 1;
    visit(kind, buf.toString('hex', nul + 1, nul + 21), () => buf.toString('utf8', start, nul));
    pos = nul + 21;
  }
}

/** Builds the object list of a fetch; throws ObjectNotFoundError for a want we do not have. */
export function planFetch(
  odb: ObjectDatabase,
  graph: CommitGraph,
  input: FetchPlanInput,
): FetchPlan {
  const objects: PackWriteEntry[] = [];
  const thinBases: PackWriteEntry[] = [];
  const sent = new Set<Oid>();
  const add = (oid: Oid, type: ObjectType, body: Uint8Array, path?: string): void => {
    sent.add(oid);
    objects.push(path === undefined ? { oid, type, body } : { oid, type, body, path });
  };

  // Commits the client has: everything reachable from its haves (not past its boundary).
  const haveCommits = new Set<Oid>();
  const haveCommitStarts: Oid[] = [];
  const haveObjects = new Set<Oid>();
  for (const have of input.haves) {
    const { target, tags } = peelChain(odb, have);
    for (const tag of tags) haveObjects.add(tag);
    if (graph.isCommit(target)) haveCommitStarts.push(target);
    else haveObjects.add(target);
  }
  walkCommits(graph, haveCommitStarts, input.cut, haveCommits);

  // Commits to send, newest first by walk order; edges are had commits next to them.
  const wantCommits: Oid[] = [];
  const directObjects: Oid[] = [];
  for (const want of input.wants) {
    const { target, tags } = peelChain(odb, want);
    for (const tag of tags) {
      if (!sent.has(tag) && !haveObjects.has(tag)) {
        const object = odb.readObject(tag);
        add(tag, 'tag', object.body);
      }
    }
    if (graph.isCommit(target)) wantCommits.push(target);
    else directObjects.push(target);
  }
  const commits: Oid[] = [];
  const edges = new Set<Oid>();
  const visited = new Set<Oid>();
  const stack: Oid[] = [];
  for (const oid of wantCommits) {
    if (visited.has(oid)) continue;
    visited.add(oid);
    if (haveCommits.has(oid)) continue;
    stack.push(oid);
  }
  while (stack.length > 0) {
    const oid = stack.pop()!;
    commits.push(oid);
    if (input.cut.has(oid)) continue;
    for (const parent of graph.parents(oid)) {
      if (haveCommits.has(parent)) {
        edges.add(parent);
        continue;
      }
      if (visited.has(parent)) continue;
      visited.add(parent);
      stack.push(parent);
    }
  }

  // Trees and blobs the client has: those of the edge commits (by path, for thin bases).
  const edgePaths = input.thin === true ? new Map<string, Oid>() : undefined;
  for (const edge of edges) collectTree(odb, graph.tree(edge), haveObjects, edgePaths);

  const thinSeen = new Set<Oid>();
  const offerBase = (path: string, oid: Oid): void => {
    const base = edgePaths?.get(path);
    if (base === undefined || base === oid || thinSeen.has(base)) return;
    const object = odb.store.get(base);
    if (object === undefined) return;
    thinSeen.add(base);
    thinBases.push({ oid: base, type: object.type, body: object.body, path });
  };

  const walkTree = (root: Oid, rootPath: string): void => {
    if (sent.has(root) || haveObjects.has(root)) return;
    const rootBody = odb.readObject(root).body;
    add(root, 'tree', rootBody, rootPath === '' ? undefined : rootPath);
    const trees: Array<[Uint8Array, string]> = [[rootBody, rootPath === '' ? '' : `${rootPath}/`]];
    while (trees.length > 0) {
      const [body, prefix] = trees.pop()!;
      scanTree(body, (kind, oid, name) => {
        if (kind === 'gitlink' || sent.has(oid) || haveObjects.has(oid)) return;
        const path = prefix + name();
        if (kind === 'tree') {
          const tree = odb.readObject(oid).body;
          add(oid, 'tree', tree, path);
          offerBase(path, oid);
          trees.push([tree, `${path}/`]);
        } else if (input.omitBlobs !== true) {
          add(oid, 'blob', odb.readObject(oid).body, path);
          offerBase(path, oid);
        }
      });
    }
  };

  for (const oid of commits) add(oid, 'commit', odb.readObject(oid).body);
  for (const oid of commits) walkTree(graph.tree(oid), '');
  for (const oid of directObjects) {
    if (sent.has(oid) || haveObjects.has(oid)) continue;
    const object = odb.readObject(oid);
    if (object.type === 'tree') walkTree(oid, '');
    else add(oid, object.type, object.body);
  }

  for (const tag of input.tagCandidates ?? []) {
    if (sent.has(tag) || haveObjects.has(tag)) continue;
    const { target, tags } = peelChain(odb, tag);
    if (!sent.has(target)) continue;
    for (const link of tags) {
      if (!sent.has(link) && !haveObjects.has(link)) add(link, 'tag', odb.readObject(link).body);
    }
  }
  return { objects, thinBases, commitCount: commits.length };
}
