/**
 * Batched object plumbing against the real git, so that property tests can ask git about
 * hundreds of objects with a handful of processes (one `git` spawn costs ~2 ms; one per
 * generated case would blow the interop time budget).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ObjectType, RawObject } from '../../src/core/objects/git-object';
import { isObjectType } from '../../src/core/objects/git-object';
import type { TreeEntry } from '../../src/core/objects/tree';
import { git, gitBuffer, tempDir } from './git-cli';

/** The object type a tree entry mode points at, as `git mktree` insists on knowing it. */
export function typeForMode(mode: string): ObjectType {
  if (mode === '40000' || mode === '040000') return 'tree';
  if (mode === '160000') return 'commit';
  return 'blob';
}

/**
 * Tree ids git computes for each list of entries (`git mktree --batch -z`), in input order, and
 * written into `repo`. mktree sorts the entries itself, so the caller may pass any order. With
 * `missing: false` git also checks that every entry's object exists with the right type.
 */
export function gitMktreeBatch(
  repo: string,
  trees: ReadonlyArray<readonly TreeEntry[]>,
  options: { missing?: boolean } = {},
): string[] {
  if (trees.length === 0) return [];
  const records: Buffer[] = [];
  for (const entries of trees) {
    for (const e of entries) {
      records.push(Buffer.from(`${e.mode} ${typeForMode(e.mode)} ${e.oid}\t${e.name}\0`, 'utf8'));
    }
    records.push(Buffer.from([0]));
  }
  const args = ['mktree', '--batch', '-z'];
  if (options.missing !== false) args.push('--missing');
  const ids = git(args, { cwd: repo, input: Buffer.concat(records) })
    .split('\n')
    .filter((line) => line !== '');
  if (ids.length !== trees.length)
    throw new Error(`git mktree returned ${ids.length} ids for ${trees.length} trees`);
  return ids;
}

/**
 * Ids `git hash-object -t <type> --stdin-paths` computes for each body (one git process per
 * type). With `repo`, the objects are also written (`-w`) into it.
 */
export function gitHashObjects(
  objects: readonly RawObject[],
  options: { repo?: string; literally?: boolean } = {},
): string[] {
  const dir = tempDir('govc-hash-');
  try {
    const ids: string[] = new Array<string>(objects.length);
    const byType = new Map<ObjectType, number[]>();
    objects.forEach((object, i) => {
      const list = byType.get(object.type) ?? [];
      list.push(i);
      byType.set(object.type, list);
    });
    for (const [type, indexes] of byType) {
      const typeDir = join(dir.path, type);
      mkdirSync(typeDir);
      const paths = indexes.map((i) => {
        const path = join(typeDir, String(i));
        writeFileSync(path, objects[i]!.body);
        return path;
      });
      const args = ['hash-object', '-t', type, '--stdin-paths', '--no-filters'];
      if (options.repo !== undefined) args.push('-w');
      if (options.literally === true) args.push('--literally');
      const out = git(args, { cwd: options.repo ?? dir.path, input: `${paths.join('\n')}\n` })
        .split('\n')
        .filter((line) => line !== '');
      if (out.length !== indexes.length)
        throw new Error(`git hash-object returned ${out.length} ids for ${indexes.length}`);
      indexes.forEach((objectIndex, k) => {
        ids[objectIndex] = out[k]!;
      });
    }
    return ids;
  } finally {
    dir.cleanup();
  }
}

/** Reads objects back with one `git cat-file --batch`; a missing object throws. */
export function gitCatFileBatch(repo: string, oids: readonly string[]): Map<string, RawObject> {
  const found = new Map<string, RawObject>();
  if (oids.length === 0) return found;
  const out = gitBuffer(['cat-file', '--batch'], { cwd: repo, input: `${oids.join('\n')}\n` });
  let pos = 0;
  for (const oid of oids) {
    const eol = out.indexOf(0x0a, pos);
    const header = out.toString('utf8', pos, eol).split(' ');
    const [id, type, size] = header;
    if (id !== oid || type === undefined || !isObjectType(type) || size === undefined) {
      throw new Error(`git cat-file: unexpected header '${header.join(' ')}' for ${oid}`);
    }
    const body = out.subarray(eol + 1, eol + 1 + Number(size));
    found.set(oid, { type, body });
    pos = eol + 1 + Number(size) + 1;
  }
  return found;
}

/**
 * Runs one `git fast-import` over `stream` (raw dates) and returns the id of every mark. One
 * process builds any number of commits and tags, where commit-tree and mktag cost one each.
 */
export function gitFastImport(repo: string, stream: Buffer): Map<number, string> {
  const dir = tempDir('govc-marks-');
  try {
    const marksFile = join(dir.path, 'marks');
    git(['fast-import', '--quiet', '--date-format=raw', `--export-marks=${marksFile}`], {
      cwd: repo,
      input: stream,
    });
    const marks = new Map<number, string>();
    for (const line of readFileSync(marksFile, 'utf8').split('\n')) {
      const match = /^:(\d+) ([0-9a-f]{40})$/.exec(line);
      if (match) marks.set(Number(match[1]), match[2]!);
    }
    return marks;
  } finally {
    dir.cleanup();
  }
}

/** Writes loose-object files (already encoded) into a repository's `objects/` directory. */
export function writeLooseFiles(
  repo: string,
  files: ReadonlyArray<{ path: string; data: Uint8Array }>,
): void {
  for (const file of files) {
    const full = join(repo, file.path);
    mkdirSync(join(full, '..'), { recursive: true });
    writeFileSync(full, file.data);
  }
}
