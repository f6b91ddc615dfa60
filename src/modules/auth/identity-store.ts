/**
 * Users, API keys, custom roles and JWT sessions (api-contract.md §0.3, §2), kept in memory for
 * synchronous checks on every request and persisted as JSON documents in the configured storage
 * driver's MetadataStore (collections `users`, `api_keys`, `roles`, `sessions`): durable with
 * `disk`, process-long with `memory`. Every mutation changes memory and queues the document in
 * one synchronous step, then awaits the store's flush, so a check and its write cannot
 * interleave with another request. `last_used` of keys is written back in batches, not per use.
 */
import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { JsonDocument, MetadataStore } from '../../core';
import { BUILT_IN_ROLES, type RoleDefinition } from '../rbac/built-in-roles';
import { SYSTEM_ADMIN, holds, normalizePermissions } from '../rbac/permissions';

export type RepoPermissions = Readonly<Record<string, readonly string[]>>;

export interface UserRecord {
  readonly id: string;
  readonly username: string;
  readonly email: string;
  readonly passwordHash?: string;
  readonly roles: readonly string[];
  readonly repoPermissions: RepoPermissions;
  readonly active: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface ApiKeyRecord {
  readonly id: string;
  readonly name: string;
  readonly userId: string;
  readonly prefix: string;
  readonly digest: string;
  readonly permissions: readonly string[];
  readonly repoPermissions: RepoPermissions;
  readonly active: boolean;
  readonly createdAt: string;
  readonly expiresAt?: string;
  readonly lastUsed?: string;
}

export interface SessionRecord {
  readonly jti: string;
  readonly userId: string;
  /** Expiry of the token, ms since the epoch: the record is dropped after it. */
  readonly expiresAt: number;
  readonly revoked: boolean;
}

const USERS = 'users';
const API_KEYS = 'api_keys';
const ROLES = 'roles';
const SESSIONS = 'sessions';
/** Sessions kept per user; the oldest are revoked beyond it (bounded memory). */
const MAX_SESSIONS_PER_USER = 1000;
const LAST_USED_WRITE_INTERVAL_MS = 30_000;
/** Expired sessions are dropped at most this often (on a login), not on every login. */
const SESSION_SWEEP_INTERVAL_MS = 60_000;

const fold = (value: string): string => value.toLowerCase();

@Injectable()
export class IdentityStore implements OnApplicationShutdown {
  private readonly logger = new Logger('Auth');
  private metadata: MetadataStore | undefined;
  private readonly users = new Map<string, UserRecord>();
  private readonly userByName = new Map<string, string>();
  private readonly userByEmail = new Map<string, string>();
  private readonly keys = new Map<string, ApiKeyRecord>();
  private readonly keyByDigest = new Map<string, string>();
  private readonly customRoles = new Map<string, RoleDefinition>();
  private readonly sessions = new Map<string, SessionRecord>();
  private readonly userSessions = new Map<string, Set<string>>();
  private lastSweep = 0;
  /** Last use of each key since the last write-back, ms since the epoch. */
  private readonly lastUsed = new Map<string, number>();
  private lastUsedTimer: NodeJS.Timeout | undefined;

  /** Loads every document; called once storage is open. */
  load(metadata: MetadataStore): void {
    this.metadata = metadata;
    for (const { id, document } of metadata.list(USERS)) this.indexUser(userFrom(id, document));
    for (const { id, document } of metadata.list(API_KEYS)) this.indexKey(keyFrom(id, document));
    for (const { id, document } of metadata.list(ROLES)) {
      this.customRoles.set(id, roleFrom(id, document));
    }
    const now = Date.now();
    for (const { id, document } of metadata.list(SESSIONS)) {
      const session = sessionFrom(id, document);
      if (session.expiresAt > now) this.indexSession(session);
      else metadata.delete(SESSIONS, id);
    }
    this.lastUsedTimer = setInterval(() => void this.writeLastUsed(), LAST_USED_WRITE_INTERVAL_MS);
    this.lastUsedTimer.unref();
  }

  get loaded(): boolean {
    return this.metadata !== undefined;
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.lastUsedTimer !== undefined) clearInterval(this.lastUsedTimer);
    await this.writeLastUsed().catch(() => undefined);
  }

  // ---- users ----------------------------------------------------------------------------------

  userCount(): number {
    return this.users.size;
  }

  user(id: string): UserRecord | undefined {
    return this.users.get(id);
  }

  userByUsername(username: string): UserRecord | undefined {
    const id = this.userByName.get(fold(username));
    return id === undefined ? undefined : this.users.get(id);
  }

  userIdByEmail(email: string): string | undefined {
    return this.userByEmail.get(fold(email));
  }

  /** Every user, by username. */
  listUsers(): UserRecord[] {
    return [...this.users.values()].sort((a, b) => compare(a.username, b.username));
  }

  /** Creates or replaces a user (the caller checked uniqueness in the same synchronous step). */
  saveUser(user: UserRecord): Promise<void> {
    const previous = this.users.get(user.id);
    if (previous !== undefined) this.unindexUser(previous);
    this.indexUser(user);
    return this.write(USERS, user.id, userDocument(user));
  }

  /** Removes a user with their keys and sessions. */
  deleteUser(id: string): Promise<void> {
    const user = this.users.get(id);
    if (user === undefined) return Promise.resolve();
    this.unindexUser(user);
    const metadata = this.requireMetadata();
    metadata.delete(USERS, id);
    for (const key of this.keysOf(id)) {
      this.unindexKey(key);
      metadata.delete(API_KEYS, key.id);
    }
    for (const jti of [...(this.userSessions.get(id) ?? [])]) this.dropSession(jti, metadata);
    return metadata.flush();
  }

  /** Global permissions of a user: the union of their roles' (unknown roles give nothing). */
  rolePermissions(user: UserRecord): string[] {
    const all: string[] = [];
    for (const name of user.roles) {
      const role = this.role(name);
      if (role !== undefined) all.push(...role.permissions);
    }
    return all;
  }

  /**
   * Active users holding system:admin, computed with `change` applied (a user replaced or
   * removed, a role redefined or removed): the LAST_ADMIN rule compares before and after.
   */
  countAdmins(
    change: {
      user?: { id: string; next: UserRecord | undefined };
      role?: { name: string; next: RoleDefinition | undefined };
    } = {},
  ): number {
    let count = 0;
    for (const stored of this.users.values()) {
      const user = change.user?.id === stored.id ? change.user.next : stored;
      if (user === undefined || !user.active) continue;
      const permissions: string[] = [];
      for (const name of user.roles) {
        const role = change.role?.name === name ? change.role.next : this.role(name);
        if (role !== undefined) permissions.push(...role.permissions);
      }
      if (holds(permissions, SYSTEM_ADMIN)) count += 1;
    }
    return count;
  }

  // ---- repository grants ----------------------------------------------------------------------

  /** Users with a grant on `repoId`, by user id. */
  grantsOn(repoId: string): Array<{ user: UserRecord; permissions: readonly string[] }> {
    const grants: Array<{ user: UserRecord; permissions: readonly string[] }> = [];
    for (const user of this.users.values()) {
      const permissions = user.repoPermissions[repoId];
      if (permissions !== undefined && permissions.length > 0) grants.push({ user, permissions });
    }
    return grants.sort((a, b) => compare(a.user.id, b.user.id));
  }

  /** Replaces a user's grant on a repository (`[]` removes it). */
  setGrant(userId: string, repoId: string, permissions: readonly string[]): Promise<void> {
    const user = this.users.get(userId);
    if (user === undefined) return Promise.resolve();
    return this.saveUser({
      ...user,
      repoPermissions: withGrant(user.repoPermissions, repoId, permissions),
      updatedAt: new Date().toISOString(),
    });
  }

  /** Drops every grant (of users and keys) on a deleted repository. */
  forgetRepository(repoId: string): Promise<void> {
    const metadata = this.requireMetadata();
    for (const user of [...this.users.values()]) {
      if (user.repoPermissions[repoId] === undefined) continue;
      const next = { ...user, repoPermissions: withGrant(user.repoPermissions, repoId, []) };
      this.unindexUser(user);
      this.indexUser(next);
      metadata.put(USERS, next.id, userDocument(next));
    }
    for (const key of [...this.keys.values()]) {
      if (key.repoPermissions[repoId] === undefined) continue;
      const next = { ...key, repoPermissions: withGrant(key.repoPermissions, repoId, []) };
      this.indexKey(next);
      metadata.put(API_KEYS, next.id, keyDocument(next));
    }
    return metadata.flush();
  }

  // ---- API keys -------------------------------------------------------------------------------

  key(id: string): ApiKeyRecord | undefined {
    return this.keys.get(id);
  }

  keyByDigestValue(digest: string): ApiKeyRecord | undefined {
    const id = this.keyByDigest.get(digest);
    return id === undefined ? undefined : this.keys.get(id);
  }

  /** A user's keys, by creation time. */
  keysOf(userId: string): ApiKeyRecord[] {
    return [...this.keys.values()]
      .filter((key) => key.userId === userId)
      .sort((a, b) => compare(a.createdAt, b.createdAt) || compare(a.id, b.id));
  }

  saveKey(key: ApiKeyRecord): Promise<void> {
    const previous = this.keys.get(key.id);
    if (previous !== undefined) this.unindexKey(previous);
    this.indexKey(key);
    return this.write(API_KEYS, key.id, keyDocument(key));
  }

  /** Remembers a use; written back in the next batch. */
  touchKey(id: string, at: number): void {
    this.lastUsed.set(id, at);
  }

  lastUsedOf(key: ApiKeyRecord): string | undefined {
    const recent = this.lastUsed.get(key.id);
    return recent === undefined ? key.lastUsed : new Date(recent).toISOString();
  }

  // ---- roles ----------------------------------------------------------------------------------

  role(name: string): RoleDefinition | undefined {
    return BUILT_IN_ROLES.get(name) ?? this.customRoles.get(name);
  }

  /** Built-in and custom roles, by name. */
  listRoles(): RoleDefinition[] {
    return [...BUILT_IN_ROLES.values(), ...this.customRoles.values()].sort((a, b) =>
      compare(a.name, b.name),
    );
  }

  saveRole(role: RoleDefinition): Promise<void> {
    this.customRoles.set(role.name, role);
    return this.write(ROLES, role.name, {
      description: role.description,
      permissions: [...role.permissions],
    });
  }

  /** Removes a custom role and takes it from every user. */
  deleteRole(name: string): Promise<void> {
    const metadata = this.requireMetadata();
    this.customRoles.delete(name);
    metadata.delete(ROLES, name);
    const now = new Date().toISOString();
    for (const user of [...this.users.values()]) {
      if (!user.roles.includes(name)) continue;
      const next = { ...user, roles: user.roles.filter((r) => r !== name), updatedAt: now };
      this.unindexUser(user);
      this.indexUser(next);
      metadata.put(USERS, next.id, userDocument(next));
    }
    return metadata.flush();
  }

  // ---- sessions (JWTs) --------------------------------------------------------------------------

  session(jti: string): SessionRecord | undefined {
    return this.sessions.get(jti);
  }

  addSession(session: SessionRecord): Promise<void> {
    const metadata = this.requireMetadata();
    const now = Date.now();
    if (now - this.lastSweep > SESSION_SWEEP_INTERVAL_MS) {
      this.lastSweep = now;
      for (const existing of [...this.sessions.values()]) {
        if (existing.expiresAt <= now) this.dropSession(existing.jti, metadata);
      }
    }
    const own = this.userSessions.get(session.userId);
    if (own !== undefined) {
      // Sets keep insertion order: the first ones are the oldest sessions.
      for (const jti of [...own]) {
        if (own.size < MAX_SESSIONS_PER_USER) break;
        this.dropSession(jti, metadata);
      }
    }
    this.indexSession(session);
    metadata.put(SESSIONS, session.jti, sessionDocument(session));
    return metadata.flush();
  }

  /** Revokes one session (logout, refresh) until it expires. */
  revokeSession(jti: string): Promise<void> {
    const session = this.sessions.get(jti);
    if (session === undefined || session.revoked) return Promise.resolve();
    const next = { ...session, revoked: true };
    this.sessions.set(jti, next);
    return this.write(SESSIONS, jti, sessionDocument(next));
  }

  /** Revokes every session of a user except `keep` (password change). */
  revokeSessionsOf(userId: string, keep?: string): Promise<void> {
    const metadata = this.requireMetadata();
    for (const jti of this.userSessions.get(userId) ?? []) {
      const session = this.sessions.get(jti);
      if (session === undefined || session.jti === keep || session.revoked) continue;
      const next = { ...session, revoked: true };
      this.sessions.set(session.jti, next);
      metadata.put(SESSIONS, session.jti, sessionDocument(next));
    }
    return metadata.flush();
  }

  // ---- internals --------------------------------------------------------------------------------

  private requireMetadata(): MetadataStore {
    if (this.metadata === undefined) throw new Error('identity store used before storage opened');
    return this.metadata;
  }

  private write(collection: string, id: string, document: JsonDocument): Promise<void> {
    const metadata = this.requireMetadata();
    metadata.put(collection, id, document);
    return metadata.flush();
  }

  private async writeLastUsed(): Promise<void> {
    if (this.lastUsed.size === 0 || this.metadata === undefined) return;
    const metadata = this.metadata;
    for (const [id, at] of this.lastUsed) {
      const key = this.keys.get(id);
      if (key === undefined) continue;
      const next = { ...key, lastUsed: new Date(at).toISOString() };
      this.keys.set(id, next);
      metadata.put(API_KEYS, id, keyDocument(next));
    }
    this.lastUsed.clear();
    try {
      await metadata.flush();
    } catch (error) {
      this.logger.warn(`could not persist API key last_used: ${String(error)}`);
    }
  }

  private indexSession(session: SessionRecord): void {
    this.sessions.set(session.jti, session);
    let own = this.userSessions.get(session.userId);
    if (own === undefined) {
      own = new Set();
      this.userSessions.set(session.userId, own);
    }
    own.add(session.jti);
  }

  private dropSession(jti: string, metadata: MetadataStore): void {
    const session = this.sessions.get(jti);
    if (session === undefined) return;
    this.sessions.delete(jti);
    const own = this.userSessions.get(session.userId);
    own?.delete(jti);
    if (own?.size === 0) this.userSessions.delete(session.userId);
    metadata.delete(SESSIONS, jti);
  }

  private indexUser(user: UserRecord): void {
    this.users.set(user.id, user);
    this.userByName.set(fold(user.username), user.id);
    this.userByEmail.set(fold(user.email), user.id);
  }

  private unindexUser(user: UserRecord): void {
    this.users.delete(user.id);
    if (this.userByName.get(fold(user.username)) === user.id) {
      this.userByName.delete(fold(user.username));
    }
    if (this.userByEmail.get(fold(user.email)) === user.id)
      this.userByEmail.delete(fold(user.email));
  }

  private indexKey(key: ApiKeyRecord): void {
    this.keys.set(key.id, key);
    this.keyByDigest.set(key.digest, key.id);
  }

  private unindexKey(key: ApiKeyRecord): void {
    this.keys.delete(key.id);
    this.keyByDigest.delete(key.digest);
    this.lastUsed.delete(key.id);
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function withGrant(
  grants: RepoPermissions,
  repoId: string,
  permissions: readonly string[],
): RepoPermissions {
  const next: Record<string, readonly string[]> = { ...grants };
  if (permissions.length === 0) delete next[repoId];
  else next[repoId] = normalizePermissions(permissions);
  return next;
}

// ---- documents ----------------------------------------------------------------------------------

const str = (value: unknown, fallback = ''): string =>
  typeof value === 'string' ? value : fallback;
const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];

function repoPermissionsFrom(value: unknown): RepoPermissions {
  const result: Record<string, readonly string[]> = {};
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    for (const [repo, list] of Object.entries(value)) result[repo] = strings(list);
  }
  return result;
}

function repoPermissionsDocument(grants: RepoPermissions): JsonDocument {
  const document: Record<string, string[]> = {};
  for (const [repo, list] of Object.entries(grants)) document[repo] = [...list];
  return document;
}

function userFrom(id: string, d: JsonDocument): UserRecord {
  const hash = d.password_hash;
  return {
    id,
    username: str(d.username, id),
    email: str(d.email),
    ...(typeof hash === 'string' ? { passwordHash: hash } : {}),
    roles: strings(d.roles),
    repoPermissions: repoPermissionsFrom(d.repo_permissions),
    active: d.active !== false,
    createdAt: str(d.created_at),
    updatedAt: str(d.updated_at),
  };
}

function userDocument(user: UserRecord): JsonDocument {
  return {
    username: user.username,
    email: user.email,
    ...(user.passwordHash !== undefined ? { password_hash: user.passwordHash } : {}),
    roles: [...user.roles],
    repo_permissions: repoPermissionsDocument(user.repoPermissions),
    active: user.active,
    created_at: user.createdAt,
    updated_at: user.updatedAt,
  };
}

function keyFrom(id: string, d: JsonDocument): ApiKeyRecord {
  return {
    id,
    name: str(d.name),
    userId: str(d.user_id),
    prefix: str(d.prefix),
    digest: str(d.digest),
    permissions: strings(d.permissions),
    repoPermissions: repoPermissionsFrom(d.repo_permissions),
    active: d.active !== false,
    createdAt: str(d.created_at),
    ...(typeof d.expires_at === 'string' ? { expiresAt: d.expires_at } : {}),
    ...(typeof d.last_used === 'string' ? { lastUsed: d.last_used } : {}),
  };
}

function keyDocument(key: ApiKeyRecord): JsonDocument {
  return {
    name: key.name,
    user_id: key.userId,
    prefix: key.prefix,
    digest: key.digest,
    permissions: [...key.permissions],
    repo_permissions: repoPermissionsDocument(key.repoPermissions),
    active: key.active,
    created_at: key.createdAt,
    ...(key.expiresAt !== undefined ? { expires_at: key.expiresAt } : {}),
    ...(key.lastUsed !== undefined ? { last_used: key.lastUsed } : {}),
  };
}

function roleFrom(name: string, d: JsonDocument): RoleDefinition {
  return {
    name,
    description: str(d.description),
    permissions: strings(d.permissions),
    builtIn: false,
  };
}

function sessionFrom(jti: string, d: JsonDocument): SessionRecord {
  return {
    jti,
    userId: str(d.user_id),
    expiresAt: typeof d.expires_at === 'number' ? d.expires_at : 0,
    revoked: d.revoked === true,
  };
}

function sessionDocument(session: SessionRecord): JsonDocument {
  return { user_id: session.userId, expires_at: session.expiresAt, revoked: session.revoked };
}
