/**
 * Merging two commits: the tree merge against their merge base, where "the base" follows git
 * merge-ort's recursive rule — no common ancestor: the empty tree; one: its tree; several:
 * merge them pairwise, oldest first, into a virtual base (conflicts and markers included, as
 * git does; inner merges use the labels "Temporary merge branch 1/2", markers two characters
 * longer per level, and fall back to the base version where a conflict has no textual form).
 *
 * The merge bases of a virtual commit (needed from the third base on) are those of its two
 * parents, with any base that is an ancestor of another dropped.
 *
 * Relies on: walk/merge-base (mergeBases), walk/commit-graph (trees, times, ancestry).
 */
import { EMPTY_TREE_OID, type ObjectDatabase } from '../objects/object-database';
import { shortOid, type Oid } from '../objects/oid';
import type { CommitGraph } from '../walk/commit-graph';
import { mergeBases } from '../walk/merge-base';
import type { CommitMergeResult } from './merge-result';
import { mergeTreesWith, settingsFor, type TreeMergeOptions } from './tree-merge';

export type CommitMergeOptions = TreeMergeOptions;

/** A real commit, or a virtual one made by merging merge bases. */
type MergeNode =
  | { readonly kind: 'commit'; readonly oid: Oid }
  | {
      readonly kind: 'virtual';
      readonly tree: Oid;
      readonly parents: readonly [MergeNode, MergeNode];
    };

const TEMPORARY_LABELS = {
  ours: 'Temporary merge branch 1',
  theirs: 'Temporary merge branch 2',
} as const;

function treeOf(graph: CommitGraph, node: MergeNode): Oid {
  return node.kind === 'commit' ? graph.tree(node.oid) : node.tree;
}

/** Merge bases of two nodes, oldest first (the order merge-ort merges them in). */
function basesOf(graph: CommitGraph, a: MergeNode, b: MergeNode): Oid[] {
  const candidates = new Set<Oid>();
  const collect = (x: MergeNode, y: MergeNode): void => {
    if (x.kind === 'virtual') {
      for (const parent of x.parents) collect(parent, y);
    } else if (y.kind === 'virtual') {
      collect(y, x);
    } else {
      for (const base of mergeBases(graph, x.oid, y.oid)) candidates.add(base);
    }
  };
  collect(a, b);
  const all = [...candidates];
  const best = all.filter((c) => !all.some((other) => other !== c && graph.isAncestor(c, other)));
  return best.sort(
    (x, y) => graph.commitTime(x) - graph.commitTime(y) || (x < y ? -1 : x > y ? 1 : 0),
  );
}

function ancestorLabel(bases: readonly Oid[]): string {
  if (bases.length === 0) return 'empty tree';
  if (bases.length > 1) return 'merged common ancestors';
  return shortOid(bases[0]!);
}

function mergeNodes(
  odb: ObjectDatabase,
  graph: CommitGraph,
  ours: MergeNode,
  theirs: MergeNode,
  options: TreeMergeOptions,
  depth: number,
): CommitMergeResult {
  const bases = basesOf(graph, ours, theirs);
  let baseTree = EMPTY_TREE_OID;
  if (bases.length > 0) {
    let merged: MergeNode = { kind: 'commit', oid: bases[0]! };
    for (const next of bases.slice(1)) {
      const nextNode: MergeNode = { kind: 'commit', oid: next };
      const inner = mergeNodes(
        odb,
        graph,
        merged,
        nextNode,
        { ...options, labels: TEMPORARY_LABELS },
        depth + 1,
      );
      merged = { kind: 'virtual', tree: inner.tree, parents: [merged, nextNode] };
    }
    baseTree = treeOf(graph, merged);
  }
  const settings = settingsFor(
    { ...options, labels: { base: ancestorLabel(bases), ...options.labels } },
    depth,
  );
  const result = mergeTreesWith(
    odb,
    baseTree,
    treeOf(graph, ours),
    treeOf(graph, theirs),
    settings,
  );
  return { ...result, bases: [...bases].sort() };
}

/**
 * Merges commit `theirs` into commit `ours` (ids of commits in `graph`'s object database) and
 * writes the merged tree. Labels default to `ours` / `theirs`; pass branch names to get git's
 * markers. Throws ObjectNotFoundError / UnexpectedObjectTypeError for ids that are not commits.
 */
export function mergeCommits(
  odb: ObjectDatabase,
  graph: CommitGraph,
  ours: Oid,
  theirs: Oid,
  options: CommitMergeOptions = {},
): CommitMergeResult {
  return mergeNodes(
    odb,
    graph,
    { kind: 'commit', oid: ours },
    { kind: 'commit', oid: theirs },
    options,
    0,
  );
}
