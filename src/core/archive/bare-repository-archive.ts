/**
 * A repository as git itself stores a bare repository, in a tar (`<name>/HEAD`, `config`,
 * `packed-refs`, `refs/`, `objects/pack/pack-<sum>.pack` + `.idx`): what `git clone` of the
 * extracted directory and `git fsck --strict` accept. The pack holds every object reachable
 * from the refs; it is written to a temp file first (a tar entry needs its size up front) and
 * streamed from there, so a large repository is never held twice in memory.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { reachableObjects, type ObjectLookup } from '../bundle/reachable-objects';
import { parseTag } from '../objects/tag';
import type { Oid } from '../objects/oid';
import { writePackIndex } from '../protocol/pack-index';
import { writePack, type PackWriteOptions } from '../protocol/pack-writer';
import { endOfArchive } from './tar-header';
import { tarEntry, tarStreamedEntry } from './tar-writer';

export interface RepositorySnapshot {
  /** Direct refs under refs/, any order. */
  readonly refs: ReadonlyArray<{ readonly name: string; readonly oid: Oid }>;
  /** `ref: refs/heads/x` target, or a detached id. */
  readonly head: { readonly symbolic: string } | { readonly oid: Oid };
  readonly lookup: ObjectLookup;
}

const BARE_CONFIG = '[core]\n\trepositoryformatversion = 0\n\tfilemode = true\n\tbare = true\n';

/** packed-refs with peeled lines for annotated tags, as `git pack-refs` writes it. */
export function formatPackedRefsFile(snapshot: RepositorySnapshot): string {
  const sorted = [...snapshot.refs].sort((a, b) =>
    Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)),
  );
  let text = '# pack-refs with: peeled fully-peeled sorted \n';
  for (const ref of sorted) {
    text += `${ref.oid} ${ref.name}\n`;
    let current = ref.oid;
    let object = snapshot.lookup(current);
    if (object?.type !== 'tag') continue;
    for (let depth = 0; object?.type === 'tag' && depth < 64; depth++) {
      current = parseTag(object.body, current).object;
      object = snapshot.lookup(current);
    }
    text += `^${current}\n`;
  }
  return text;
}

/** The chunks of the tar; `name` is the top directory (e.g. `repo.git`). */
export async function* bareRepositoryChunks(
  snapshot: RepositorySnapshot,
  name: string,
  options: PackWriteOptions = {},
): AsyncGenerator<Buffer> {
  const mtime = Math.floor(Date.now() / 1000);
  const objects = [...reachableObjects(snapshot.lookup, new Set(snapshot.refs.map((r) => r.oid)))];
  const directory = await mkdtemp(join(tmpdir(), 'govc-export-'));
  try {
    const packPath = join(directory, 'pack');
    const out = createWriteStream(packPath, { mode: 0o600 });
    const result = await writePack(
      objects,
      async (chunk) => {
        if (!out.write(chunk)) await once(out, 'drain');
      },
      options,
    );
    out.end();
    await once(out, 'finish');
    objects.length = 0;
    const index = writePackIndex(result.entries, result.checksum);
    const dir = (path: string): Buffer[] =>
      tarEntry({ name: `${name}/${path}`, type: 'directory', mode: 0o755, mtime });
    const file = (path: string, data: string | Buffer): Buffer[] =>
      tarEntry(
        { name: `${name}/${path}`, type: 'file', mode: 0o644, mtime },
        typeof data === 'string' ? Buffer.from(data, 'utf8') : data,
      );
    const head =
      'symbolic' in snapshot.head ? `ref: ${snapshot.head.symbolic}\n` : `${snapshot.head.oid}\n`;
    yield* dir('');
    yield* file('HEAD', head);
    yield* file('config', BARE_CONFIG);
    yield* file('description', 'Unnamed repository; edit this file to name it for gitweb.\n');
    yield* file('packed-refs', formatPackedRefsFile(snapshot));
    yield* dir('refs/');
    yield* dir('refs/heads/');
    yield* dir('refs/tags/');
    yield* dir('objects/');
    yield* dir('objects/info/');
    yield* dir('objects/pack/');
    const packName = `objects/pack/pack-${result.checksum}`;
    yield* tarStreamedEntry(
      {
        name: `${name}/${packName}.pack`,
        type: 'file',
        mode: 0o444,
        mtime,
        size: result.byteLength,
      },
      createReadStream(packPath),
    );
    yield* file(`${packName}.idx`, index);
    yield endOfArchive();
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}
