/** Passwords (argon2id), API keys (HMAC-SHA256 with a pepper) and pinned-HS256 JWTs. */
import { createHmac } from 'node:crypto';
import {
  apiKeyDigest,
  generateApiKey,
  hashPassword,
  isAcceptablePassword,
  looksLikeApiKey,
  signJwt,
  verifyJwt,
  verifyPassword,
  type JwtClaims,
  type JwtSettings,
} from '../../../src/modules/auth/credential-codecs';

const SETTINGS: JwtSettings = {
  secret: Buffer.from('unit-test-secret-0123456789abcdefghij'),
  issuer: 'govc-server',
  audience: 'govc-api',
};
const NOW = Date.UTC(2026, 0, 1);
const NOW_S = NOW / 1000;

function claims(overrides: Partial<JwtClaims> = {}): JwtClaims {
  return {
    user_id: 'user_1',
    username: 'alice',
    email: 'alice@example.com',
    permissions: ['repo:read'],
    iss: 'govc-server',
    aud: 'govc-api',
    sub: 'user_1',
    iat: NOW_S - 10,
    nbf: NOW_S - 10,
    exp: NOW_S + 3600,
    jti: 'abc',
    ...overrides,
  };
}

const b64 = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('passwords', () => {
  it('hashes with argon2id at the OWASP setting and verifies only the right password', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    await expect(verifyPassword(hash, 'correct horse battery')).resolves.toBe(true);
    await expect(verifyPassword(hash, 'correct horse batterY')).resolves.toBe(false);
  });

  it('salts every hash', async () => {
    expect(await hashPassword('same password here')).not.toBe(
      await hashPassword('same password here'),
    );
  });

  it('treats a malformed stored hash as a mismatch, not an error', async () => {
    await expect(verifyPassword('not-a-hash', 'whatever-password')).resolves.toBe(false);
  });

  it('accepts 12 to 1024 bytes', () => {
    expect(isAcceptablePassword('a'.repeat(11))).toBe(false);
    expect(isAcceptablePassword('a'.repeat(12))).toBe(true);
    expect(isAcceptablePassword('é'.repeat(512))).toBe(true);
    expect(isAcceptablePassword('é'.repeat(513))).toBe(false);
    expect(isAcceptablePassword(undefined)).toBe(false);
  });
});

describe('API keys', () => {
  it('are govc_ + padded base64url of 32 bytes, 49 characters, all different', () => {
    const keys = new Set(Array.from({ length: 50 }, generateApiKey));
    expect(keys.size).toBe(50);
    for (const key of keys) {
      expect(key).toHaveLength(49);
      expect(key).toMatch(/^govc_[A-Za-z0-9_-]{43}=$/);
      expect(looksLikeApiKey(key)).toBe(true);
    }
    expect(looksLikeApiKey('govc_short')).toBe(false);
  });

  it('are stored as HMAC-SHA256 under the pepper: same key and pepper, same digest only', () => {
    const key = generateApiKey();
    const pepper = Buffer.from('pepper-one');
    expect(apiKeyDigest(pepper, key)).toBe(createHmac('sha256', pepper).update(key).digest('hex'));
    expect(apiKeyDigest(pepper, key)).not.toBe(apiKeyDigest(Buffer.from('pepper-two'), key));
    expect(apiKeyDigest(pepper, key)).not.toContain(key);
  });
});

describe('JWT', () => {
  it('verifies a token it signed and returns its claims', () => {
    const token = signJwt(SETTINGS, claims());
    const result = verifyJwt(SETTINGS, token, NOW);
    expect(result).toEqual({ ok: true, claims: claims() });
    expect(JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString())).toEqual({
      alg: 'HS256',
      typ: 'JWT',
    });
  });

  it('rejects alg none, with or without a signature', () => {
    const body = b64(claims());
    expect(verifyJwt(SETTINGS, `${b64({ alg: 'none', typ: 'JWT' })}.${body}.`, NOW)).toEqual({
      ok: false,
      reason: 'algorithm',
    });
    expect(verifyJwt(SETTINGS, `${b64({ alg: 'none' })}.${body}.c2ln`, NOW).ok).toBe(false);
    expect(verifyJwt(SETTINGS, `${b64({ alg: 'NONE' })}.${body}.`, NOW).ok).toBe(false);
  });

  it('rejects any algorithm but HS256, even with a valid HS256 signature', () => {
    const input = `${b64({ alg: 'HS512', typ: 'JWT' })}.${b64(claims())}`;
    const signature = createHmac('sha256', SETTINGS.secret).update(input).digest('base64url');
    expect(verifyJwt(SETTINGS, `${input}.${signature}`, NOW)).toEqual({
      ok: false,
      reason: 'algorithm',
    });
  });

  it('rejects a token signed with another secret, or whose payload was changed', () => {
    const other = signJwt(
      { ...SETTINGS, secret: Buffer.from('another-secret-of-enough-length!!') },
      claims(),
    );
    expect(verifyJwt(SETTINGS, other, NOW)).toEqual({ ok: false, reason: 'signature' });
    const [head, , signature] = signJwt(SETTINGS, claims()).split('.');
    const forged = `${head}.${b64(claims({ user_id: 'admin', sub: 'admin' }))}.${signature}`;
    expect(verifyJwt(SETTINGS, forged, NOW)).toEqual({ ok: false, reason: 'signature' });
  });

  it('checks exp and nbf', () => {
    expect(verifyJwt(SETTINGS, signJwt(SETTINGS, claims({ exp: NOW_S - 1 })), NOW)).toEqual({
      ok: false,
      reason: 'expired',
    });
    expect(verifyJwt(SETTINGS, signJwt(SETTINGS, claims({ exp: NOW_S })), NOW).ok).toBe(false);
    expect(verifyJwt(SETTINGS, signJwt(SETTINGS, claims({ nbf: NOW_S + 60 })), NOW)).toEqual({
      ok: false,
      reason: 'not-yet-valid',
    });
  });

  it('checks the issuer and the audience', () => {
    expect(verifyJwt(SETTINGS, signJwt(SETTINGS, claims({ iss: 'someone-else' })), NOW)).toEqual({
      ok: false,
      reason: 'issuer',
    });
    expect(verifyJwt(SETTINGS, signJwt(SETTINGS, claims({ aud: 'other-api' })), NOW)).toEqual({
      ok: false,
      reason: 'audience',
    });
  });

  it('refuses malformed tokens and missing claims without throwing', () => {
    for (const token of [
      '',
      'a.b',
      'a.b.c.d',
      '!!.!!.!!',
      `${b64({ alg: 'HS256' })}.notjson.sig`,
      'x'.repeat(9000),
    ]) {
      expect(verifyJwt(SETTINGS, token, NOW).ok).toBe(false);
    }
    const { jti: _dropped, ...partial } = claims();
    const input = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(partial)}`;
    const signature = createHmac('sha256', SETTINGS.secret).update(input).digest('base64url');
    expect(verifyJwt(SETTINGS, `${input}.${signature}`, NOW)).toEqual({
      ok: false,
      reason: 'claims',
    });
  });
});
