/**
 * A deliberately naive model of the working state (contract §0.1, §3.2, §3.3): HEAD, index and
 * working tree as plain Maps of path → {mode, content}, each operation written straight from
 * the contract's wording. Property tests run random operations on it and on the real
 * Repository and compare what they report. Slow (scans every path) and obviously right.
 */
export interface ModelFile {
  readonly mode: string;
  readonly content: string;
}

export type ModelSnapshot = Map<string, ModelFile>;

/** The error code an operation must fail with, or undefined when it succeeds. */
export type ModelOutcome = string | undefined;

const WRITABLE = ['100644', '100755', '120000'];

function isFileAt(files: ModelSnapshot, path: string): boolean {
  return files.has(path);
}

function isDirAt(files: ModelSnapshot, path: string): boolean {
  for (const key of files.keys()) if (key.startsWith(`${path}/`)) return true;
  return false;
}

/** True when a file can go at `path`: no file on the way, no directory in its place. */
export function placeable(files: ModelSnapshot, path: string): boolean {
  const parts = path.split('/');
  for (let i = 1; i < parts.length; i++)
    if (isFileAt(files, parts.slice(0, i).join('/'))) return false;
  return !isDirAt(files, path);
}

function atOrBelow(files: ModelSnapshot, path: string): string[] {
  return [...files.keys()].filter((key) => key === path || key.startsWith(`${path}/`));
}

function same(a: ModelFile | undefined, b: ModelFile | undefined): boolean {
  return a?.mode === b?.mode && a?.content === b?.content;
}

/** Bytewise (UTF-8) order, which is what the engine's comparePaths implements. */
export function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

export class WorkingModel {
  head: ModelSnapshot = new Map();
  index: ModelSnapshot = new Map();
  worktree: ModelSnapshot = new Map();

  private chooseMode(path: string, content: string, mode: string | undefined): ModelFile | string {
    const current = this.worktree.get(path)?.mode;
    const chosen =
      mode ?? (current !== undefined && WRITABLE.includes(current) ? current : '100644');
    if (chosen === '120000' && (content === '' || content.includes('\0')))
      return 'INVALID_FILE_CONTENT';
    return { mode: chosen, content };
  }

  add(path: string, content: string, mode?: string): ModelOutcome {
    const file = this.chooseMode(path, content, mode);
    if (typeof file === 'string') return file;
    if (!placeable(this.worktree, path) || !placeable(this.index, path))
      return 'INVALID_FILE_CONTENT';
    this.index.set(path, file);
    this.worktree.set(path, file);
    return undefined;
  }

  write(path: string, content: string): ModelOutcome {
    const file = this.chooseMode(path, content, undefined);
    if (typeof file === 'string') return file;
    if (!placeable(this.worktree, path)) return 'INVALID_FILE_CONTENT';
    this.worktree.set(path, file);
    return undefined;
  }

  remove(path: string): ModelOutcome {
    const paths = new Set([...atOrBelow(this.index, path), ...atOrBelow(this.worktree, path)]);
    if (paths.size === 0) return 'FILE_NOT_FOUND';
    for (const p of paths) {
      this.index.delete(p);
      this.worktree.delete(p);
    }
    return undefined;
  }

  move(from: string, to: string): ModelOutcome {
    if (to === from || to.startsWith(`${from}/`)) return 'INVALID_FILE_PATH';
    const sources = atOrBelow(this.worktree, from).map((p) => [p, this.worktree.get(p)!] as const);
    if (sources.length === 0) return 'FILE_NOT_FOUND';
    const index = new Map(this.index);
    const worktree = new Map(this.worktree);
    for (const p of new Set([...atOrBelow(index, from), ...atOrBelow(worktree, from)])) {
      index.delete(p);
      worktree.delete(p);
    }
    for (const [p, file] of sources) {
      const target = to + p.slice(from.length);
      if (!placeable(worktree, target) || !placeable(index, target)) return 'INVALID_FILE_CONTENT';
      index.set(target, file);
      worktree.set(target, file);
    }
    this.index = index;
    this.worktree = worktree;
    return undefined;
  }

  commit(allowEmpty = false): ModelOutcome {
    if (!allowEmpty && this.staged().length === 0) return 'COMMIT_FAILED';
    this.head = new Map(this.index);
    return undefined;
  }

  staged(): string[] {
    const paths = new Set([...this.head.keys(), ...this.index.keys()]);
    return [...paths].filter((p) => !same(this.head.get(p), this.index.get(p))).sort(byteOrder);
  }

  status(): {
    staged: string[];
    removed: string[];
    modified: string[];
    untracked: string[];
    clean: boolean;
    changes: string[];
  } {
    const staged = this.staged();
    const removed = staged.filter((p) => !this.index.has(p));
    const modified = [...this.index.keys()]
      .filter((p) => !same(this.index.get(p), this.worktree.get(p)))
      .sort(byteOrder);
    const untracked = [...this.worktree.keys()].filter((p) => !this.index.has(p)).sort(byteOrder);
    const changes = [...new Set([...staged, ...modified, ...untracked])].sort(byteOrder);
    return { staged, removed, modified, untracked, clean: changes.length === 0, changes };
  }
}
