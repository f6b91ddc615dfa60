/**
 * The server side of `git fetch` / `git clone` over stateless HTTP (git's upload-pack with
 * --stateless-rpc): the ref advertisement of protocol v0/v1, the v2 capability advertisement, and
 * one request → one response for v0/v1 negotiation rounds and v2 `ls-refs` / `fetch` commands.
 *
 * A request is parsed and checked whole before the first byte of the answer, so malformed
 * input becomes a ProtocolError / PktLineError the caller turns into an HTTP 4xx; only what
 * fails while a pack is already streaming is reported in-band (side-band 3 or `ERR`).
 *
 * Objects come from fetch-plan.ts; the pack is written by pack-writer.ts chunk by chunk into the
 * sink (awaited, so HTTP backpressure holds the writer) and optionally kept in a PackCache.
 * Every `want` must name an object of this repository (git's allowAnySHA1InWant: the whole
 * repository is readable to whoever may fetch it; internal refs are only never advertised).
 */
import { ProtocolError } from '../errors/protocol-errors';
import type { ObjectDatabase } from '../objects/object-database';
import { isOid, type Oid } from '../objects/oid';
import { resolveRef, TAG_PREFIX } from '../refs/resolve-ref';
import type { RefStore } from '../storage/ref-store';
import type { CommitGraph } from '../walk/commit-graph';
import { listAdvertisedRefs, isInternalRef } from './advertised-refs';
import { planFetch, planShallow, type DeepenRequest, type FetchPlan } from './fetch-plan';
import { PackCache } from './pack-cache';
import { packChunks } from './pack-writer';
import {
  BAND_DATA,
  BAND_ERROR,
  BAND_PROGRESS,
  decodePktLines,
  DELIM_PKT,
  encodePktLine,
  encodePktText,
  encodeSideBand,
  FLUSH_PKT,
  pktText,
  type PktLine,
  type SideBand,
} from './pkt-line';

export interface UploadPackRepository {
  readonly odb: ObjectDatabase;
  readonly refs: RefStore;
  readonly graph: CommitGraph;
}

/** Where response bytes go; awaited (backpressure). */
export type ByteSink = (chunk: Buffer) => void | Promise<void>;

export interface UploadPackOptions {
  /** `agent=` value, e.g. `govc/0.1.0`. */
  readonly agent: string;
  /** Packs of earlier identical requests; `cacheScope` (the repository id) prefixes keys. */
  readonly cache?: PackCache;
  readonly cacheScope?: string;
  /** Delta search window of generated packs (default the writer's). */
  readonly deltaWindow?: number;
  /** zlib level of generated packs (default the writer's). */
  readonly compressionLevel?: number;
}

export interface UploadPackStats {
  /** Bytes of pack data sent (0 when the request only negotiated or listed refs). */
  readonly packBytes: number;
  readonly objectCount: number;
  readonly cacheHit: boolean;
}

export type ProtocolVersion = 0 | 1 | 2;

/** Lines per request that can be sent at most; more is a ProtocolError (C2 fuzz limits). */
const MAX_WANTS = 100_000;
const MAX_HAVES = 100_000;
/** git ignores ref-prefix past this many and lists everything. */
const MAX_REF_PREFIXES = 65_536;
/** How many common commits ok-to-give-up checks against each want. */
const MAX_READY_PROBES = 64;

const V0_CAPABILITIES = [
  'multi_ack',
  'multi_ack_detailed',
  'side-band',
  'side-band-64k',
  'thin-pack',
  'ofs-delta',
  'shallow',
  'deepen-since',
  'deepen-not',
  'deepen-relative',
  'no-progress',
  'include-tag',
  'allow-tip-sha1-in-want',
  'allow-reachable-sha1-in-want',
  'filter',
];

/** The `Git-Protocol` header's version (`version=2`); 0 when absent or unknown. */
export function protocolVersionOf(header: string | undefined): ProtocolVersion {
  if (header === undefined) return 0;
  let version: ProtocolVersion = 0;
  for (const part of header.split(':')) {
    const match = /^version=(\d+)$/.exec(part.trim());
    if (match?.[1] === '2') version = 2;
    else if (match?.[1] === '1' && version === 0) version = 1;
  }
  return version;
}

/** `# service=<name>` and its flush: the smart-HTTP preamble of v0/v1 advertisements. */
export function servicePreamble(service: string): Buffer {
  return Buffer.concat([encodePktText(`# service=${service}`), FLUSH_PKT]);
}

/** The info/refs answer for git-upload-pack in the protocol version the client asked for. */
export function advertiseUploadPack(
  repo: UploadPackRepository,
  version: ProtocolVersion,
  agent: string,
): Buffer {
  if (version === 2) {
    return Buffer.concat([
      encodePktText('version 2'),
      encodePktText(`agent=${agent}`),
      encodePktText('ls-refs=unborn'),
      encodePktText('fetch=shallow filter'),
      encodePktText('server-option'),
      encodePktText('object-format=sha1'),
      FLUSH_PKT,
    ]);
  }
  const refs = listAdvertisedRefs(repo.refs, repo.odb);
  const head = refs.find((ref) => ref.name === 'HEAD');
  const capabilities = [...V0_CAPABILITIES];
  if (head?.symrefTarget !== undefined && head.oid !== null) {
    capabilities.push(`symref=HEAD:${head.symrefTarget}`);
  }
  capabilities.push('object-format=sha1', `agent=${agent}`);
  return Buffer.concat([
    servicePreamble('git-upload-pack'),
    ...(version === 1 ? [encodePktText('version 1')] : []),
    refAdvertisementLines(
      refs.filter((ref) => ref.oid !== null) as Array<{ name: string; oid: Oid; peeled?: Oid }>,
      capabilities.join(' '),
    ),
    FLUSH_PKT,
  ]);
}

/** v0 ref lines: the first carries `\0<capabilities>`; an empty list advertises capabilities^{}. */
export function refAdvertisementLines(
  refs: ReadonlyArray<{ readonly name: string; readonly oid: Oid; readonly peeled?: Oid }>,
  capabilities: string,
): Buffer {
  const parts: Buffer[] = [];
  if (refs.length === 0) {
    parts.push(encodePktLine(`${'0'.repeat(40)} capabilities^{}\0${capabilities}\n`));
  }
  refs.forEach((ref, index) => {
    const caps = index === 0 ? `\0${capabilities}` : '';
    parts.push(encodePktLine(`${ref.oid} ${ref.name}${caps}\n`));
    if (ref.peeled !== undefined) parts.push(encodePktText(`${ref.peeled} ${ref.name}^{}`));
  });
  return Buffer.concat(parts);
}

// ---- request parsing helpers ----------------------------------------------------------------

function parseOidArgument(line: string, prefix: string): Oid {
  const value = line.slice(prefix.length);
  if (!isOid(value)) throw new ProtocolError(`invalid object id in '${prefix.trim()}' line`);
  return value;
}

function parseDepth(value: string): number {
  if (!/^\d{1,10}$/.test(value)) throw new ProtocolError(`invalid deepen value '${value}'`);
  const depth = Number(value);
  if (depth < 1) throw new ProtocolError('deepen must be positive');
  return depth;
}

function parseSince(value: string): number {
  if (!/^\d{1,15}$/.test(value)) throw new ProtocolError(`invalid deepen-since value '${value}'`);
  return Number(value);
}

function parseFilter(spec: string): boolean {
  if (spec === 'blob:none') return true;
  throw new ProtocolError(`unsupported filter '${spec}' (only blob:none)`);
}

/** Shared fetch arguments of v0 and v2 after parsing. */
interface FetchArguments {
  wants: Oid[];
  haves: Oid[];
  shallows: Oid[];
  deepen: { depth?: number; relative?: boolean; since?: number; not: string[] } | undefined;
  omitBlobs: boolean;
  thin: boolean;
  ofsDelta: boolean;
  includeTag: boolean;
  noProgress: boolean;
  done: boolean;
}

function newArguments(): FetchArguments {
  return {
    wants: [],
    haves: [],
    shallows: [],
    deepen: undefined,
    omitBlobs: false,
    thin: false,
    ofsDelta: false,
    includeTag: false,
    noProgress: false,
    done: false,
  };
}

/** Parses one deepen/shallow/filter/want/have argument; false when the line is not one. */
function parseCommonArgument(args: FetchArguments, line: string): boolean {
  if (line.startsWith('want ')) {
    if (args.wants.length >= MAX_WANTS) throw new ProtocolError('too many want lines');
    args.wants.push(parseOidArgument(line.slice(0, 45), 'want '));
  } else if (line.startsWith('have ')) {
    if (args.haves.length >= MAX_HAVES) throw new ProtocolError('too many have lines');
    args.haves.push(parseOidArgument(line, 'have '));
  } else if (line.startsWith('shallow ')) {
    if (args.shallows.length >= MAX_HAVES) throw new ProtocolError('too many shallow lines');
    args.shallows.push(parseOidArgument(line, 'shallow '));
  } else if (line.startsWith('deepen ')) {
    args.deepen = { ...(args.deepen ?? { not: [] }), depth: parseDepth(line.slice(7)) };
  } else if (line === 'deepen-relative') {
    args.deepen = { ...(args.deepen ?? { not: [] }), relative: true };
  } else if (line.startsWith('deepen-since ')) {
    args.deepen = { ...(args.deepen ?? { not: [] }), since: parseSince(line.slice(13)) };
  } else if (line.startsWith('deepen-not ')) {
    const deepen = args.deepen ?? { not: [] };
    if (deepen.not.length >= 1024) throw new ProtocolError('too many deepen-not lines');
    args.deepen = { ...deepen, not: [...deepen.not, line.slice(11)] };
  } else if (line.startsWith('filter ')) {
    args.omitBlobs = parseFilter(line.slice(7));
  } else {
    return false;
  }
  return true;
}

function dataLines(lines: readonly PktLine[], what: string): string[] {
  return lines.map((line) => {
    const text = pktText(line);
    if (text === undefined) throw new ProtocolError(`unexpected special packet in ${what}`);
    return text;
  });
}

// ---- the session: one request against one repository snapshot -------------------------------

/** Runs one upload-pack request and writes the whole answer into `sink`. */
export async function serveUploadPack(
  repo: UploadPackRepository,
  version: ProtocolVersion,
  request: Uint8Array,
  sink: ByteSink,
  options: UploadPackOptions,
): Promise<UploadPackStats> {
  const packets = decodePktLines(request);
  const session = new UploadPackSession(repo, sink, options);
  if (version === 2) return session.runV2(packets);
  return session.runV0(packets);
}

class UploadPackSession {
  private stats: UploadPackStats = { packBytes: 0, objectCount: 0, cacheHit: false };

  constructor(
    private readonly repo: UploadPackRepository,
    private readonly sink: ByteSink,
    private readonly options: UploadPackOptions,
  ) {}

  // ---- v2 ----

  async runV2(packets: readonly PktLine[]): Promise<UploadPackStats> {
    let at = 0;
    if (packets.length === 0) return this.stats;
    const capabilityLines: string[] = [];
    while (at < packets.length && packets[at]!.type === 'data') {
      capabilityLines.push(pktText(packets[at]!)!);
      at++;
    }
    const commandLine = capabilityLines.find((line) => line.startsWith('command='));
    if (commandLine === undefined) throw new ProtocolError('no command in v2 request');
    const objectFormat = capabilityLines.find((line) => line.startsWith('object-format='));
    if (objectFormat !== undefined && objectFormat !== 'object-format=sha1') {
      throw new ProtocolError(`unsupported ${objectFormat}`);
    }
    const separator = packets[at];
    let args: string[] = [];
    if (separator?.type === 'delim') {
      at++;
      const start = at;
      while (at < packets.length && packets[at]!.type === 'data') at++;
      args = dataLines(packets.slice(start, at), 'command arguments');
    }
    if (packets[at]?.type !== 'flush') throw new ProtocolError('v2 request must end with a flush');
    if (at + 1 < packets.length) throw new ProtocolError('data after the end of the v2 request');
    const command = commandLine.slice('command='.length);
    if (command === 'ls-refs') {
      await this.sink(this.lsRefs(args));
      return this.stats;
    }
    if (command === 'fetch') return this.fetchV2(args);
    throw new ProtocolError(`unknown command '${command}'`);
  }

  private lsRefs(args: readonly string[]): Buffer {
    let peel = false;
    let symrefs = false;
    let unborn = false;
    const prefixes: string[] = [];
    for (const arg of args) {
      if (arg === 'peel') peel = true;
      else if (arg === 'symrefs') symrefs = true;
      else if (arg === 'unborn') unborn = true;
      else if (arg.startsWith('ref-prefix ')) prefixes.push(arg.slice(11));
      else throw new ProtocolError(`unexpected ls-refs argument '${arg.slice(0, 64)}'`);
    }
    const matchAll = prefixes.length === 0 || prefixes.length > MAX_REF_PREFIXES;
    const parts: Buffer[] = [];
    for (const ref of listAdvertisedRefs(this.repo.refs, this.repo.odb)) {
      if (!matchAll && !prefixes.some((prefix) => ref.name.startsWith(prefix))) continue;
      if (ref.oid === null && !unborn) continue;
      let line = ref.oid === null ? `unborn ${ref.name}` : `${ref.oid} ${ref.name}`;
      if (symrefs && ref.symrefTarget !== undefined) line += ` symref-target:${ref.symrefTarget}`;
      if (peel && ref.peeled !== undefined) line += ` peeled:${ref.peeled}`;
      parts.push(encodePktText(line));
    }
    parts.push(FLUSH_PKT);
    return Buffer.concat(parts);
  }

  private async fetchV2(lines: readonly string[]): Promise<UploadPackStats> {
    const args = newArguments();
    for (const line of lines) {
      if (parseCommonArgument(args, line)) continue;
      if (line === 'done') args.done = true;
      else if (line === 'thin-pack') args.thin = true;
      else if (line === 'ofs-delta') args.ofsDelta = true;
      else if (line === 'include-tag') args.includeTag = true;
      else if (line === 'no-progress') args.noProgress = true;
      else throw new ProtocolError(`unexpected fetch argument '${line.slice(0, 64)}'`);
    }
    if (args.wants.length === 0) throw new ProtocolError('fetch without any want');
    this.checkWants(args.wants);
    const commons = this.commonHaves(args.haves);
    const out: Buffer[] = [];
    if (!args.done) {
      const ready = this.okToGiveUp(args.wants, commons);
      out.push(encodePktText('acknowledgments'));
      if (commons.length === 0) out.push(encodePktText('NAK'));
      for (const oid of commons) out.push(encodePktText(`ACK ${oid}`));
      if (ready) out.push(encodePktText('ready'));
      if (!ready) {
        out.push(FLUSH_PKT);
        await this.sink(Buffer.concat(out));
        return this.stats;
      }
      out.push(DELIM_PKT);
    }
    const shallow = this.shallowUpdate(args);
    if (args.deepen !== undefined || args.shallows.length > 0) {
      out.push(encodePktText('shallow-info'));
      for (const oid of shallow.shallow) out.push(encodePktText(`shallow ${oid}`));
      for (const oid of shallow.unshallow) out.push(encodePktText(`unshallow ${oid}`));
      out.push(DELIM_PKT);
    }
    out.push(encodePktText('packfile'));
    await this.sink(Buffer.concat(out));
    await this.sendPack(args, commons, shallow, { band: true, maxPayload: 65515 });
    await this.sink(FLUSH_PKT);
    return this.stats;
  }

  // ---- v0 / v1 ----

  async runV0(packets: readonly PktLine[]): Promise<UploadPackStats> {
    const args = newArguments();
    const capabilities = new Set<string>();
    let at = 0;
    for (; at < packets.length; at++) {
      const packet = packets[at]!;
      if (packet.type === 'flush') break;
      const line = pktText(packet);
      if (line === undefined) throw new ProtocolError('unexpected special packet in wants');
      if (line.startsWith('want ') && args.wants.length === 0) {
        for (const cap of line.slice(46).split(' ')) if (cap !== '') capabilities.add(cap);
      }
      if (!parseCommonArgument(args, line) || line.startsWith('have ')) {
        throw new ProtocolError(`unexpected line in wants '${line.slice(0, 64)}'`);
      }
    }
    if (at >= packets.length) throw new ProtocolError('wants must end with a flush');
    at++;
    if (args.wants.length === 0) return this.stats;
    const negotiates = at < packets.length;
    this.checkWants(args.wants);
    if (capabilities.has('deepen-relative') && args.deepen !== undefined) {
      args.deepen = { ...args.deepen, relative: true };
    }
    args.thin = capabilities.has('thin-pack');
    args.ofsDelta = capabilities.has('ofs-delta');
    args.includeTag = capabilities.has('include-tag');
    args.noProgress = capabilities.has('no-progress');
    const multiAck = capabilities.has('multi_ack_detailed')
      ? 2
      : capabilities.has('multi_ack')
        ? 1
        : 0;
    const band = capabilities.has('side-band-64k')
      ? { band: true, maxPayload: 65515 }
      : capabilities.has('side-band')
        ? { band: true, maxPayload: 999 }
        : { band: false, maxPayload: 0 };

    const out: Buffer[] = [];
    const shallow = this.shallowUpdate(args);
    if (args.deepen !== undefined) {
      for (const oid of shallow.shallow) out.push(encodePktText(`shallow ${oid}`));
      for (const oid of shallow.unshallow) out.push(encodePktText(`unshallow ${oid}`));
      out.push(FLUSH_PKT);
    }

    // Negotiation (upload-pack's get_common_commits, one stateless round).
    const common: Oid[] = [];
    let lastCommon: Oid | undefined;
    let gotCommon = false;
    let gotOther = false;
    let done = false;
    for (; at < packets.length; at++) {
      const packet = packets[at]!;
      if (packet.type === 'flush') {
        if (multiAck === 2 && gotCommon && !gotOther && this.okToGiveUp(args.wants, common)) {
          out.push(encodePktText(`ACK ${lastCommon!} ready`));
        }
        if (common.length === 0 || multiAck > 0) out.push(encodePktText('NAK'));
        // Stateless: the client sends the next round in a new request.
        await this.sink(Buffer.concat(out));
        return this.stats;
      }
      const line = pktText(packet);
      if (line === 'done') {
        done = true;
        break;
      }
      if (line === undefined || !line.startsWith('have ')) {
        throw new ProtocolError(`expected have or done, got '${(line ?? '').slice(0, 64)}'`);
      }
      if (args.haves.length >= MAX_HAVES) throw new ProtocolError('too many have lines');
      const oid = parseOidArgument(line, 'have ');
      args.haves.push(oid);
      if (this.repo.odb.has(oid)) {
        gotCommon = true;
        lastCommon = oid;
        common.push(oid);
        if (multiAck === 2) out.push(encodePktText(`ACK ${oid} common`));
        else if (multiAck === 1) out.push(encodePktText(`ACK ${oid} continue`));
        else if (common.length === 1) out.push(encodePktText(`ACK ${oid}`));
      } else {
        gotOther = true;
        if (multiAck > 0 && common.length > 0 && this.okToGiveUp(args.wants, common)) {
          out.push(encodePktText(`ACK ${oid} ${multiAck === 2 ? 'ready' : 'continue'}`));
        }
      }
    }
    if (!done) {
      // Only wants (a shallow client's first round asks for the boundary alone).
      if (!negotiates && args.deepen !== undefined) {
        await this.sink(Buffer.concat(out));
        return this.stats;
      }
      throw new ProtocolError('negotiation must end with a flush or done');
    }
    if (common.length > 0 && multiAck > 0) out.push(encodePktText(`ACK ${lastCommon!}`));
    else if (common.length === 0) out.push(encodePktText('NAK'));
    await this.sink(Buffer.concat(out));
    await this.sendPack(args, common, shallow, band);
    if (band.band) await this.sink(FLUSH_PKT);
    return this.stats;
  }

  // ---- shared ----

  /** Refuses a want we do not have before anything is sent (`not our ref`). */
  private checkWants(wants: readonly Oid[]): void {
    for (const oid of wants) {
      if (!this.repo.odb.has(oid)) throw new ProtocolError(`upload-pack: not our ref ${oid}`);
    }
  }

  private commonHaves(haves: readonly Oid[]): Oid[] {
    return haves.filter((oid) => this.repo.odb.has(oid));
  }

  /** True when each wanted commit has one of the common commits as an ancestor. */
  private okToGiveUp(wants: readonly Oid[], common: readonly Oid[]): boolean {
    const graph = this.repo.graph;
    const probes = common.filter((oid) => graph.isCommit(oid)).slice(-MAX_READY_PROBES);
    if (probes.length === 0) return false;
    return wants.every((want) => {
      if (!graph.isCommit(want)) return true;
      return probes.some((base) => graph.isAncestor(base, want));
    });
  }

  private shallowUpdate(args: FetchArguments): ReturnType<typeof planShallow> {
    const graph = this.repo.graph;
    const clientShallow = args.shallows.filter((oid) => graph.isCommit(oid));
    let deepen: DeepenRequest | undefined;
    if (args.deepen !== undefined) {
      const not = args.deepen.not.map((rev) => this.resolveDeepenNot(rev));
      deepen = {
        ...(args.deepen.depth !== undefined ? { depth: args.deepen.depth } : {}),
        ...(args.deepen.relative === true ? { relative: true } : {}),
        ...(args.deepen.since !== undefined ? { since: args.deepen.since } : {}),
        ...(not.length > 0 ? { not } : {}),
      };
      if (deepen.depth === undefined && deepen.since === undefined && deepen.not === undefined) {
        throw new ProtocolError('deepen-relative without deepen');
      }
    }
    const wants = args.wants.filter((oid) => graph.isCommit(oid));
    return planShallow(graph, wants, clientShallow, deepen);
  }

  private resolveDeepenNot(rev: string): Oid {
    if (isOid(rev) && this.repo.graph.isCommit(rev)) return rev;
    for (const name of [rev, `refs/heads/${rev}`, `refs/tags/${rev}`]) {
      if (isInternalRef(name)) continue;
      const oid = resolveRef(this.repo.refs, name).oid;
      if (oid !== null) {
        const peeled = this.repo.odb.peel(oid);
        if (this.repo.graph.isCommit(peeled)) return peeled;
      }
    }
    throw new ProtocolError(`deepen-not: unknown ref '${rev.slice(0, 256)}'`);
  }

  private tagCandidates(): Oid[] {
    const tags: Oid[] = [];
    for (const ref of this.repo.refs.list(TAG_PREFIX)) {
      if (ref.kind !== 'direct') continue;
      if (this.repo.odb.store.get(ref.oid)?.type === 'tag') tags.push(ref.oid);
    }
    return tags;
  }

  private async sendPack(
    args: FetchArguments,
    common: readonly Oid[],
    shallow: ReturnType<typeof planShallow>,
    band: { band: boolean; maxPayload: number },
  ): Promise<void> {
    const progress = band.band && !args.noProgress;
    const write = (which: SideBand, data: Buffer): void | Promise<void> =>
      band.band ? this.sink(encodeSideBand(which, data, band.maxPayload)) : this.sink(data);
    const say = async (text: string): Promise<void> => {
      if (progress) await write(BAND_PROGRESS, Buffer.from(text, 'utf8'));
    };

    const wants = [...args.wants, ...shallow.extraWants];
    const tagCandidates = args.includeTag ? this.tagCandidates() : [];
    const cache = this.options.cache;
    const key =
      cache === undefined
        ? undefined
        : PackCache.key({
            scope: this.options.cacheScope ?? '',
            wants,
            haves: [...common],
            cut: [...shallow.cut],
            omitBlobs: args.omitBlobs,
            thin: args.thin,
            ofsDelta: args.ofsDelta,
            tags: tagCandidates,
          });
    if (key !== undefined) await cache!.settled(key);
    const cached = key === undefined ? undefined : cache!.get(key);
    if (cached !== undefined) {
      await say(`Enumerating objects: ${cached.objectCount}, done.\n`);
      for (const chunk of cached.chunks) await write(BAND_DATA, chunk);
      await say(`Total ${cached.objectCount} (reused pack)\n`);
      this.stats = {
        packBytes: cached.byteLength,
        objectCount: cached.objectCount,
        cacheHit: true,
      };
      return;
    }

    let plan: FetchPlan;
    try {
      plan = planFetch(this.repo.odb, this.repo.graph, {
        wants,
        haves: common,
        cut: shallow.cut,
        omitBlobs: args.omitBlobs,
        thin: args.thin,
        tagCandidates,
      });
    } catch (error) {
      if (band.band) {
        const reason = error instanceof Error ? error.message : String(error);
        await write(BAND_ERROR, Buffer.from(`upload-pack: ${reason}\n`, 'utf8'));
        return;
      }
      throw error;
    }
    await say(`Enumerating objects: ${plan.objects.length}, done.\n`);
    let finished: () => void = () => undefined;
    if (key !== undefined) {
      cache!.markBuilding(key, new Promise<void>((resolve) => (finished = resolve)));
    }
    try {
      await this.streamPack(plan, args, write, say, key);
    } finally {
      finished();
    }
  }

  /** Generates the pack of `plan` into `write`, keeping it in the cache under `key`. */
  private async streamPack(
    plan: FetchPlan,
    args: FetchArguments,
    write: (band: SideBand, data: Buffer) => void | Promise<void>,
    say: (text: string) => Promise<void>,
    key: string | undefined,
  ): Promise<void> {
    const cache = this.options.cache;
    const keep: Buffer[] | undefined = key === undefined ? undefined : [];
    let keptBytes = 0;
    const chunks = packChunks(plan.objects, {
      deltas: args.ofsDelta,
      ...(this.options.deltaWindow !== undefined ? { window: this.options.deltaWindow } : {}),
      ...(this.options.compressionLevel !== undefined
        ? { compressionLevel: this.options.compressionLevel }
        : {}),
      ...(args.thin ? { thinBases: plan.thinBases } : {}),
    });
    for (;;) {
      const next = await chunks.next();
      if (next.done === true) {
        const result = next.value;
        await say(
          `Total ${result.objectCount} (delta ${result.ofsDeltas + result.refDeltas}), done.\n`,
        );
        if (keep !== undefined && key !== undefined && keptBytes === result.byteLength) {
          cache!.set(key, {
            chunks: keep,
            byteLength: result.byteLength,
            objectCount: result.objectCount,
          });
        }
        this.stats = {
          packBytes: result.byteLength,
          objectCount: result.objectCount,
          cacheHit: false,
        };
        return;
      }
      if (keep !== undefined && keptBytes + next.value.length <= cache!.maxEntryBytes) {
        keep.push(next.value);
        keptBytes += next.value.length;
      }
      await write(BAND_DATA, next.value);
    }
  }
}
