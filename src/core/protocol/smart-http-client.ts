/**
 * The client side of git's smart HTTP protocol v2, for imports by URL: `ls-refs` to list the
 * remote's refs, then one `fetch` with `want` lines and `done` (no negotiation: the importing
 * repository is empty), reading the pack from side-band-64k band 1 into the pack reader with
 * its limits. Every connection goes through the outbound address policy (src/core/net): an IP
 * literal is checked before connecting, a name when it resolves, so a URL can never reach a
 * private address unless the policy allows it. Redirects are not followed. Credentials travel
 * only in the Authorization header and appear in no error message.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import type { Readable } from 'node:stream';
import { GitError } from '../errors/git-error';
import { isOid, type Oid } from '../objects/oid';
import {
  checkLiteralHost,
  ForbiddenTargetError,
  guardedLookup,
  type OutboundPolicy,
} from '../net/guarded-lookup';
import type { PackLimits } from './pack-limits';
import { readPack, type PackObject, type PackReadSummary } from './pack-reader';
import {
  BAND_DATA,
  BAND_ERROR,
  decodeSideBand,
  DELIM_PKT,
  encodePktLines,
  FLUSH_PKT,
  pktText,
  readPktLines,
  type PktLine,
} from './pkt-line';

/** The remote could not be reached, refused us, or answered with an HTTP error. */
export class RemoteUnreachableError extends GitError {
  readonly code = 'REMOTE_UNREACHABLE';
  readonly kind = 'unavailable';
  constructor(reason: string, details: Record<string, unknown> = {}) {
    super(reason, details);
  }
}

/** The remote answered, but not with protocol v2 a fetch can use, or sent a bad pack. */
export class RemoteProtocolError extends GitError {
  readonly code = 'REMOTE_PROTOCOL_ERROR';
  readonly kind = 'invalid-argument';
  constructor(reason: string, details: Record<string, unknown> = {}) {
    super(reason, details);
  }
}

export interface RemoteRef {
  readonly name: string;
  readonly oid: Oid;
  readonly symrefTarget?: string;
  readonly peeled?: Oid;
}

export interface RemoteOptions {
  readonly policy: OutboundPolicy;
  readonly username?: string;
  readonly token?: string;
  readonly signal?: AbortSignal;
  /** Idle time allowed on a connection (default 60 s). */
  readonly timeoutMs?: number;
  readonly userAgent?: string;
  readonly limits?: Partial<PackLimits>;
}

export interface RemoteListing {
  readonly refs: readonly RemoteRef[];
  /** The branch HEAD points at, when the remote says. */
  readonly head: string | undefined;
}

const MAX_TEXT_RESPONSE_BYTES = 64 * 1024 * 1024;
const DEFAULT_AGENT = 'git/govc';

/** The repository URL without credentials or a trailing slash; throws for non-http(s) URLs. */
export function normalizeRemoteUrl(url: string): {
  base: URL;
  username?: string;
  password?: string;
} {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new RemoteProtocolError('not a valid URL');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new RemoteProtocolError(`unsupported URL scheme '${parsed.protocol}'`);
  }
  const username = parsed.username === '' ? undefined : decodeURIComponent(parsed.username);
  const password = parsed.password === '' ? undefined : decodeURIComponent(parsed.password);
  parsed.username = '';
  parsed.password = '';
  parsed.hash = '';
  parsed.search = '';
  parsed.pathname = parsed.pathname.replace(/\/+$/, '');
  return {
    base: parsed,
    ...(username === undefined ? {} : { username }),
    ...(password === undefined ? {} : { password }),
  };
}

function endpoint(base: URL, suffix: string): URL {
  const url = new URL(base.toString());
  url.pathname = `${base.pathname}${suffix}`;
  return url;
}

function authorization(options: RemoteOptions): string | undefined {
  if (options.token === undefined || options.token === '') return undefined;
  const user = options.username ?? 'git';
  return `Basic ${Buffer.from(`${user}:${options.token}`, 'utf8').toString('base64')}`;
}

/** One HTTP exchange under the policy; resolves with the response stream of a 200. */
export function guardedRequest(
  url: URL,
  init: {
    method: 'GET' | 'POST';
    headers: Record<string, string>;
    body?: Buffer;
    policy: OutboundPolicy;
    signal?: AbortSignal;
    timeoutMs?: number;
  },
): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    try {
      checkLiteralHost(url.hostname, init.policy);
    } catch (error: unknown) {
      reject(asUnreachable(error, url));
      return;
    }
    const transport = url.protocol === 'https:' ? https : http;
    const request = transport.request(url, {
      method: init.method,
      headers: init.headers,
      lookup: guardedLookup(init.policy),
      timeout: init.timeoutMs ?? 60_000,
      ...(init.signal === undefined ? {} : { signal: init.signal }),
    });
    request.on('timeout', () => request.destroy(new Error('connection timed out')));
    request.on('error', (error) => reject(asUnreachable(error, url)));
    request.on('response', (response) => {
      const status = response.statusCode ?? 0;
      if (status !== 200) {
        response.resume();
        reject(
          new RemoteUnreachableError(`${url.host} answered HTTP ${status}`, {
            status,
            host: url.host,
          }),
        );
        return;
      }
      resolve(response);
    });
    request.end(init.body);
  });
}

function asUnreachable(error: unknown, url: URL): GitError {
  if (error instanceof GitError) return error;
  if (error instanceof ForbiddenTargetError) {
    return new RemoteUnreachableError(error.message, { host: url.host, reason: error.reason });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new RemoteUnreachableError(`cannot reach ${url.host}: ${message}`, { host: url.host });
}

async function readAll(stream: Readable, limit: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limit) {
      stream.destroy();
      throw new RemoteProtocolError(`response larger than ${limit} bytes`);
    }
    parts.push(buffer);
  }
  return Buffer.concat(parts);
}

async function collectLines(stream: Readable, limit: number): Promise<PktLine[]> {
  const body = await readAll(stream, limit);
  const lines: PktLine[] = [];
  try {
    for await (const line of readPktLines([body])) lines.push(line);
  } catch (error: unknown) {
    throw new RemoteProtocolError(error instanceof Error ? error.message : String(error));
  }
  return lines;
}

function headers(options: RemoteOptions, extra: Record<string, string>): Record<string, string> {
  const auth = authorization(options);
  return {
    'User-Agent': options.userAgent ?? DEFAULT_AGENT,
    'Git-Protocol': 'version=2',
    ...(auth === undefined ? {} : { Authorization: auth }),
    ...extra,
  };
}

interface Capabilities {
  readonly commands: Map<string, string>;
  readonly objectFormat: string | undefined;
}

async function advertise(base: URL, options: RemoteOptions): Promise<Capabilities> {
  const url = endpoint(base, '/info/refs');
  url.search = '?service=git-upload-pack';
  const response = await guardedRequest(url, {
    method: 'GET',
    headers: headers(options, { Accept: '*/*' }),
    policy: options.policy,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  });
  const lines = (await collectLines(response, MAX_TEXT_RESPONSE_BYTES)).map((line) =>
    line.type === 'data' ? pktText(line)! : `<${line.type}>`,
  );
  // Smart HTTP starts with "# service=git-upload-pack" and a flush; then v2's advertisement.
  let at = 0;
  if (lines[at]?.startsWith('# service=')) at += lines[at + 1] === '<flush>' ? 2 : 1;
  if (lines[at] !== 'version 2') {
    throw new RemoteProtocolError('the remote does not speak git protocol version 2');
  }
  const commands = new Map<string, string>();
  for (const line of lines.slice(at + 1)) {
    if (line === '<flush>') break;
    const eq = line.indexOf('=');
    commands.set(eq < 0 ? line : line.slice(0, eq), eq < 0 ? '' : line.slice(eq + 1));
  }
  if (!commands.has('ls-refs') || !commands.has('fetch')) {
    throw new RemoteProtocolError('the remote offers no ls-refs/fetch commands');
  }
  const format = commands.get('object-format');
  if (format !== undefined && format !== 'sha1') {
    throw new RemoteProtocolError(`unsupported object format '${format}'`);
  }
  return { commands, objectFormat: format };
}

async function command(
  base: URL,
  options: RemoteOptions,
  capabilities: Capabilities,
  name: string,
  args: readonly string[],
): Promise<http.IncomingMessage> {
  const lines: Array<string | Uint8Array> = [
    `command=${name}`,
    `agent=${options.userAgent ?? DEFAULT_AGENT}`,
  ];
  if (capabilities.objectFormat !== undefined) lines.push('object-format=sha1');
  lines.push(DELIM_PKT, ...args, FLUSH_PKT);
  return guardedRequest(endpoint(base, '/git-upload-pack'), {
    method: 'POST',
    headers: headers(options, {
      'Content-Type': 'application/x-git-upload-pack-request',
      Accept: 'application/x-git-upload-pack-result',
    }),
    body: encodePktLines(lines),
    policy: options.policy,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  });
}

/** The remote's branches, tags and HEAD (ls-refs with symrefs and peel). */
export async function listRemoteRefs(url: string, options: RemoteOptions): Promise<RemoteListing> {
  const { base, username, password } = normalizeRemoteUrl(url);
  const effective = withUrlCredentials(options, username, password);
  const capabilities = await advertise(base, effective);
  const response = await command(base, effective, capabilities, 'ls-refs', [
    'symrefs',
    'peel',
    'ref-prefix HEAD',
    'ref-prefix refs/heads/',
    'ref-prefix refs/tags/',
  ]);
  const refs: RemoteRef[] = [];
  let head: string | undefined;
  for (const line of await collectLines(response, MAX_TEXT_RESPONSE_BYTES)) {
    if (line.type === 'flush') break;
    const text = pktText(line);
    if (text === undefined) continue;
    const [oid = '', name = '', ...attributes] = text.split(' ');
    if (oid === 'unborn') continue;
    if (!isOid(oid) || name === '') throw new RemoteProtocolError('malformed ls-refs line');
    let symrefTarget: string | undefined;
    let peeled: Oid | undefined;
    for (const attribute of attributes) {
      if (attribute.startsWith('symref-target:')) symrefTarget = attribute.slice(14);
      else if (attribute.startsWith('peeled:') && isOid(attribute.slice(7)))
        peeled = attribute.slice(7);
    }
    if (name === 'HEAD') {
      head = symrefTarget;
      continue;
    }
    refs.push({
      name,
      oid,
      ...(symrefTarget === undefined ? {} : { symrefTarget }),
      ...(peeled === undefined ? {} : { peeled }),
    });
  }
  return { refs, head };
}

/** Pack data (band 1) from a v2 fetch response, stopping at the packfile section's flush. */
async function* packfileBand(response: Readable): AsyncGenerator<Uint8Array> {
  let inPackfile = false;
  try {
    for await (const line of readPktLines(response)) {
      if (!inPackfile) {
        if (line.type === 'data' && pktText(line) === 'packfile') inPackfile = true;
        else if (line.type === 'data' && pktText(line)?.startsWith('ERR ')) {
          throw new RemoteProtocolError(`remote error: ${pktText(line)!.slice(4)}`);
        }
        continue;
      }
      if (line.type !== 'data') return;
      const { band, data } = decodeSideBand(line);
      if (band === BAND_DATA) yield Buffer.from(data);
      else if (band === BAND_ERROR)
        throw new RemoteProtocolError(`remote error: ${data.toString('utf8').trim()}`);
    }
  } catch (error: unknown) {
    if (error instanceof GitError) throw error;
    throw new RemoteUnreachableError(
      `fetch interrupted: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (!inPackfile) throw new RemoteProtocolError('the remote sent no packfile');
}

/** Fetches every object reachable from `wants` as one verified pack. */
export async function fetchRemotePack(
  url: string,
  wants: readonly Oid[],
  options: RemoteOptions,
): Promise<{ objects: PackObject[]; summary: PackReadSummary }> {
  const { base, username, password } = normalizeRemoteUrl(url);
  const effective = withUrlCredentials(options, username, password);
  const capabilities = await advertise(base, effective);
  const args = [
    'ofs-delta',
    'no-progress',
    ...[...new Set(wants)].map((oid) => `want ${oid}`),
    'done',
  ];
  const response = await command(base, effective, capabilities, 'fetch', args);
  try {
    return await readPack(packfileBand(response), { limits: options.limits ?? {} });
  } finally {
    response.destroy();
  }
}

function withUrlCredentials(
  options: RemoteOptions,
  username?: string,
  password?: string,
): RemoteOptions {
  if (options.token !== undefined && options.token !== '') return options;
  if (password === undefined) return options;
  return { ...options, token: password, ...(username === undefined ? {} : { username }) };
}
