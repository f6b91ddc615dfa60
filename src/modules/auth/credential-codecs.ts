/**
 * The credential formats of api-contract.md §0.3, as pure functions over node:crypto and
 * @node-rs/argon2: argon2id password hashes, API keys (`govc_` + padded base64url of 32 random
 * bytes, stored as HMAC-SHA256 under a server pepper) and HS256 JWTs whose algorithm is pinned
 * by the verifier (the header's `alg` must be exactly HS256: `none` and every other value fail).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { hash as argon2Hash, verify as argon2Verify } from '@node-rs/argon2';

// ---- passwords ------------------------------------------------------------------------------

/** OWASP's argon2id setting: 19 MiB, 2 passes, 1 lane (argon2id is the library's default). */
const ARGON2_OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;
export const MIN_PASSWORD_BYTES = 12;
export const MAX_PASSWORD_BYTES = 1024;

export function isAcceptablePassword(password: unknown): password is string {
  if (typeof password !== 'string') return false;
  const bytes = Buffer.byteLength(password, 'utf8');
  return bytes >= MIN_PASSWORD_BYTES && bytes <= MAX_PASSWORD_BYTES;
}

export function hashPassword(password: string): Promise<string> {
  return argon2Hash(password, ARGON2_OPTIONS);
}

/** False for a wrong password or a hash that does not parse (never throws for bad input). */
export async function verifyPassword(encoded: string, password: string): Promise<boolean> {
  try {
    return await argon2Verify(encoded, password);
  } catch {
    return false;
  }
}

// ---- API keys -------------------------------------------------------------------------------

export const API_KEY_PREFIX = 'govc_';
export const API_KEY_LENGTH = 49;
export const API_KEY_DISPLAY_PREFIX_LENGTH = 12;
const API_KEY_PATTERN = /^govc_[A-Za-z0-9_-]{43}=$/;

/** A new key: `govc_` + base64url with its `=` padding (49 characters). */
export function generateApiKey(): string {
  return (
    API_KEY_PREFIX + randomBytes(32).toString('base64').replace(/\+/g, '-').replace(/\//g, '_')
  );
}

export function looksLikeApiKey(value: string): boolean {
  return value.length === API_KEY_LENGTH && API_KEY_PATTERN.test(value);
}

/** The stored form of a key: HMAC-SHA256 under the pepper, hex. */
export function apiKeyDigest(pepper: Buffer, key: string): string {
  return createHmac('sha256', pepper).update(key).digest('hex');
}

export function randomHex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

// ---- JWT ------------------------------------------------------------------------------------

export interface JwtClaims {
  readonly user_id: string;
  readonly username: string;
  readonly email: string;
  readonly permissions: readonly string[];
  readonly iss: string;
  readonly aud: string;
  readonly sub: string;
  readonly iat: number;
  readonly nbf: number;
  readonly exp: number;
  readonly jti: string;
}

export type JwtFailure =
  | 'malformed'
  | 'algorithm'
  | 'signature'
  | 'expired'
  | 'not-yet-valid'
  | 'issuer'
  | 'audience'
  | 'claims';

export type JwtVerification =
  | { readonly ok: true; readonly claims: JwtClaims }
  | { readonly ok: false; readonly reason: JwtFailure };

export interface JwtSettings {
  readonly secret: Buffer;
  readonly issuer: string;
  readonly audience: string;
}

const SEGMENT = /^[A-Za-z0-9_-]+$/;
const HEADER = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
/** Tokens are short; anything longer is refused before any parsing. */
const MAX_TOKEN_LENGTH = 8192;

function base64url(text: string | Buffer): string {
  return Buffer.from(text).toString('base64url');
}

function sign(secret: Buffer, input: string): Buffer {
  return createHmac('sha256', secret).update(input).digest();
}

export function signJwt(settings: JwtSettings, claims: JwtClaims): string {
  const input = `${HEADER}.${base64url(JSON.stringify(claims))}`;
  return `${input}.${sign(settings.secret, input).toString('base64url')}`;
}

function parseObject(segment: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

const isString = (value: unknown): value is string => typeof value === 'string' && value !== '';
const isTime = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value);

/** Checks format, pinned algorithm, signature (constant time), then iss, aud, nbf and exp. */
export function verifyJwt(settings: JwtSettings, token: string, nowMs: number): JwtVerification {
  if (token.length > MAX_TOKEN_LENGTH) return { ok: false, reason: 'malformed' };
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, reason: 'malformed' };
  const [head, body, signature] = parts as [string, string, string];
  if (!SEGMENT.test(head) || !SEGMENT.test(body)) return { ok: false, reason: 'malformed' };
  const header = parseObject(head);
  if (header === undefined) return { ok: false, reason: 'malformed' };
  if (header.alg !== 'HS256') return { ok: false, reason: 'algorithm' };
  if (!SEGMENT.test(signature)) return { ok: false, reason: 'signature' };
  const expected = sign(settings.secret, `${head}.${body}`);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'signature' };
  }
  const payload = parseObject(body);
  if (payload === undefined) return { ok: false, reason: 'malformed' };
  const { user_id, username, email, permissions, iss, aud, sub, iat, nbf, exp, jti } = payload;
  if (
    !isString(user_id) ||
    !isString(sub) ||
    !isString(jti) ||
    typeof username !== 'string' ||
    typeof email !== 'string' ||
    !isTime(iat) ||
    !isTime(nbf) ||
    !isTime(exp)
  ) {
    return { ok: false, reason: 'claims' };
  }
  if (iss !== settings.issuer) return { ok: false, reason: 'issuer' };
  const audiences: unknown[] = Array.isArray(aud) ? aud : [aud];
  if (!audiences.includes(settings.audience)) return { ok: false, reason: 'audience' };
  const now = nowMs / 1000;
  if (nbf > now) return { ok: false, reason: 'not-yet-valid' };
  if (exp <= now) return { ok: false, reason: 'expired' };
  return {
    ok: true,
    claims: {
      user_id,
      username,
      email,
      permissions: Array.isArray(permissions) ? permissions.filter(isString) : [],
      iss: settings.issuer,
      aud: settings.audience,
      sub,
      iat,
      nbf,
      exp,
      jti,
    },
  };
}
