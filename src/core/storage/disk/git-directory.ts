/**
 * The layout of one repository on disk: a bare git repository (HEAD, config, objects/, refs/,
 * packed-refs, logs/) plus govc's own directory `govc/` (journal segments, temporaries, the
 * checkpoint marker), which git ignores because it is outside objects/ and refs/.
 *
 * Ref names become file paths here, so only names that are safe as paths are accepted:
 * `HEAD`-like pseudo-refs (upper case and `_`, at the top) and names under `refs/` that pass
 * git's check-ref-format (no `..`, no empty or dot-leading components).
 */
import { join } from 'node:path';
import { InvalidRefError } from '../../errors/ref-errors';
import { refNameProblem } from '../../refs/ref-name';
import type { RefName } from '../ref-store';
import { syncDirectories, writeFully } from './durable-file';
import type { FileSystem } from './file-system';

/** A new repository's HEAD, for git's sake (the ref store starts without one, see the marker). */
export const PLACEHOLDER_HEAD = 'ref: refs/heads/main\n';

const BARE_CONFIG = '[core]\n\trepositoryformatversion = 0\n\tfilemode = true\n\tbare = true\n';
const PSEUDO_REF = /^[A-Z][A-Z_]*$/;

export class GitDirectory {
  constructor(readonly path: string) {}

  get packDirectory(): string {
    return join(this.path, 'objects', 'pack');
  }

  get objectsDirectory(): string {
    return join(this.path, 'objects');
  }

  get packedRefsPath(): string {
    return join(this.path, 'packed-refs');
  }

  get govcDirectory(): string {
    return join(this.path, 'govc');
  }

  get journalDirectory(): string {
    return join(this.path, 'govc', 'journal');
  }

  get tempDirectory(): string {
    return join(this.path, 'govc', 'tmp');
  }

  get checkpointMarkerPath(): string {
    return join(this.path, 'govc', 'checkpoint');
  }

  /** The loose file of a ref (`HEAD`, `refs/heads/x`). */
  refPath(name: RefName): string {
    return join(this.path, ...name.split('/'));
  }

  /** The reflog file of a ref (`logs/HEAD`, `logs/refs/heads/x`). */
  reflogPath(name: RefName): string {
    return join(this.path, 'logs', ...name.split('/'));
  }
}

/** Why a ref name cannot be stored as a file, or undefined when it can. */
export function unstorableRefReason(name: RefName): string | undefined {
  if (PSEUDO_REF.test(name)) return undefined;
  if (!name.startsWith('refs/')) return "must be a pseudo-ref like HEAD or start with 'refs/'";
  return refNameProblem(name);
}

/** Throws InvalidRefError for a ref name the disk driver cannot store. */
export function checkStorableRefName(name: RefName): void {
  const reason = unstorableRefReason(name);
  if (reason !== undefined) throw new InvalidRefError(name, reason);
}

/**
 * Writes the skeleton of a bare repository into the empty directory `path` and fsyncs every
 * file and directory in it; the caller renames it into place, so it appears whole or not at all.
 * `marker` is the initial checkpoint marker's content.
 */
export async function writeGitDirectorySkeleton(
  fs: FileSystem,
  path: string,
  marker: string,
): Promise<void> {
  const layout = new GitDirectory(path);
  const directories = [
    join(path, 'objects', 'info'),
    layout.packDirectory,
    join(path, 'refs', 'heads'),
    join(path, 'refs', 'tags'),
    layout.journalDirectory,
    layout.tempDirectory,
  ];
  for (const dir of directories) await fs.mkdir(dir);
  const files: Array<[string, string]> = [
    [join(path, 'HEAD'), PLACEHOLDER_HEAD],
    [join(path, 'config'), BARE_CONFIG],
    [layout.checkpointMarkerPath, marker],
  ];
  for (const [file, text] of files) {
    const handle = await fs.open(file, 'wx', 0o644);
    try {
      await writeFully(handle, Buffer.from(text, 'utf8'), 0);
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
  await syncDirectories(fs, [
    ...directories,
    join(path, 'objects'),
    join(path, 'refs'),
    layout.govcDirectory,
    path,
  ]);
}
