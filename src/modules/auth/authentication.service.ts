/**
 * Who a credential belongs to (api-contract.md §0.3): an API key (`govc_…`, looked up by its
 * HMAC under the server pepper) or an HS256 JWT of this server (signature, iss, aud, nbf, exp,
 * then its session not revoked), and in both cases an owner that exists and is active, read
 * from the identity store on every call so that revocations apply at once. Used by the global
 * guard and by the git smart-HTTP and event-stream routes, which read credentials themselves.
 */
import { Injectable } from '@nestjs/common';
import { AuthConfig } from '../../config/config.schema';
import {
  apiKeyDigest,
  looksLikeApiKey,
  randomHex,
  signJwt,
  verifyJwt,
  type JwtClaims,
  type JwtSettings,
} from './credential-codecs';
import type { AuthFailureReason } from './auth-failures';
import { IdentityStore, type UserRecord } from './identity-store';
import type { Principal } from './principal';
import { expand } from '../rbac/permissions';

export type Authentication =
  | { readonly principal: Principal; readonly claims?: JwtClaims }
  | { readonly principal: null; readonly reason: AuthFailureReason };

export type HeaderMap = Record<string, string | string[] | undefined>;

export interface IssuedToken {
  readonly token: string;
  readonly claims: JwtClaims;
  readonly expiresAt: string;
}

/**
 * Verified credentials kept per secret, so that a client repeating its key or token pays one
 * map lookup instead of an HMAC: key → digest, token → claims (signature, iss and aud checked;
 * nbf, exp, session and owner are still checked on every use). Bounded; the oldest entries go.
 */
const CACHE_SIZE = 10_000;

class BoundedCache<V> {
  private readonly entries = new Map<string, V>();
  get(key: string): V | undefined {
    return this.entries.get(key);
  }
  set(key: string, value: V): void {
    if (this.entries.size >= CACHE_SIZE) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
    this.entries.set(key, value);
  }
}

@Injectable()
export class AuthenticationService {
  private jwt: JwtSettings | undefined;
  private pepper: Buffer | undefined;
  private readonly digests = new BoundedCache<string>();
  private readonly tokens = new BoundedCache<JwtClaims>();

  constructor(
    private readonly config: AuthConfig,
    private readonly identities: IdentityStore,
  ) {}

  /** Installs the JWT secret and the API-key pepper (done once at start). */
  useSecrets(jwtSecret: Buffer, pepper: Buffer): void {
    this.jwt = {
      secret: jwtSecret,
      issuer: this.config.jwt.issuer,
      audience: this.config.jwt.audience,
    };
    this.pepper = pepper;
  }

  isEnabled(): boolean {
    return this.config.enabled;
  }

  /** The principal of an API key or JWT; null when invalid, expired, revoked or owner inactive. */
  authenticateSecret(secret: string): Promise<Principal | null> {
    return Promise.resolve(this.authenticate(secret).principal);
  }

  /** `Authorization: Bearer` first (when present), else `X-API-Key`; never the query string. */
  authenticateHeaders(headers: HeaderMap): Promise<Principal | null> {
    return Promise.resolve(this.authenticateRequest(headers).principal);
  }

  /** As authenticateHeaders, synchronously, with the failure reason. */
  authenticateRequest(headers: HeaderMap): Authentication {
    const secret = credentialOf(headers);
    if (secret === undefined) return { principal: null, reason: 'missing' };
    return this.authenticate(secret);
  }

  /** As authenticateSecret, synchronously, with the failure reason and the JWT's claims. */
  authenticate(secret: string, now = Date.now()): Authentication {
    if (this.jwt === undefined || this.pepper === undefined || !this.identities.loaded) {
      return { principal: null, reason: 'invalid_token' };
    }
    return looksLikeApiKey(secret)
      ? this.authenticateKey(secret, now)
      : this.authenticateJwt(secret, now);
  }

  /** The stored digest of an API key. */
  digestOf(key: string): string {
    if (this.pepper === undefined) throw new Error('auth secrets are not loaded');
    return apiKeyDigest(this.pepper, key);
  }

  /** Signs a fresh token for `user` (new jti) and records its session. */
  async issueToken(user: UserRecord, now = Date.now()): Promise<IssuedToken> {
    if (this.jwt === undefined) throw new Error('auth secrets are not loaded');
    const iat = Math.floor(now / 1000);
    const exp = iat + Math.max(1, Math.floor(this.config.jwt.ttl / 1000));
    const claims: JwtClaims = {
      user_id: user.id,
      username: user.username,
      email: user.email,
      permissions: expand(this.identities.rolePermissions(user)),
      iss: this.jwt.issuer,
      aud: this.jwt.audience,
      sub: user.id,
      iat,
      nbf: iat,
      exp,
      jti: randomHex(16),
    };
    await this.identities.addSession({
      jti: claims.jti,
      userId: user.id,
      expiresAt: exp * 1000,
      revoked: false,
    });
    return {
      token: signJwt(this.jwt, claims),
      claims,
      expiresAt: new Date(exp * 1000).toISOString(),
    };
  }

  private authenticateKey(secret: string, now: number): Authentication {
    let digest = this.digests.get(secret);
    if (digest === undefined) {
      digest = apiKeyDigest(this.pepper as Buffer, secret);
      this.digests.set(secret, digest);
    }
    const key = this.identities.keyByDigestValue(digest);
    if (key === undefined) return { principal: null, reason: 'invalid_token' };
    if (!key.active) return { principal: null, reason: 'revoked' };
    if (key.expiresAt !== undefined && Date.parse(key.expiresAt) <= now) {
      return { principal: null, reason: 'expired' };
    }
    const owner = this.identities.user(key.userId);
    if (owner === undefined || !owner.active) return { principal: null, reason: 'revoked' };
    this.identities.touchKey(key.id, now);
    return {
      principal: {
        id: owner.id,
        username: owner.username,
        email: owner.email,
        authMethod: 'apikey',
        apiKeyId: key.id,
      },
    };
  }

  private authenticateJwt(secret: string, now: number): Authentication {
    let claims = this.tokens.get(secret);
    if (claims !== undefined && (claims.nbf > now / 1000 || claims.exp <= now / 1000)) {
      claims = undefined;
    }
    if (claims === undefined) {
      const verified = verifyJwt(this.jwt as JwtSettings, secret, now);
      if (!verified.ok) {
        return {
          principal: null,
          reason: verified.reason === 'expired' ? 'expired' : 'invalid_token',
        };
      }
      claims = verified.claims;
      this.tokens.set(secret, claims);
    }
    const session = this.identities.session(claims.jti);
    if (session === undefined || session.revoked || session.userId !== claims.user_id) {
      return { principal: null, reason: 'revoked' };
    }
    const user = this.identities.user(claims.user_id);
    if (user === undefined || !user.active) return { principal: null, reason: 'revoked' };
    return {
      principal: {
        id: user.id,
        username: user.username,
        email: user.email,
        authMethod: 'jwt',
        tokenId: claims.jti,
      },
      claims,
    };
  }
}

function header(headers: HeaderMap, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The credential a request carries: the Bearer token if `Authorization` is Bearer, else X-API-Key. */
export function credentialOf(headers: HeaderMap): string | undefined {
  const authorization = header(headers, 'authorization');
  if (authorization !== undefined && /^bearer /i.test(authorization)) {
    const token = authorization.slice(7).trim();
    return token === '' ? undefined : token;
  }
  const key = header(headers, 'x-api-key')?.trim();
  return key === undefined || key === '' ? undefined : key;
}
