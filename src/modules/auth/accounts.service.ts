/**
 * The rules of users, API keys, roles and grants (api-contract.md §2) over the identity store:
 * validation with the contract's codes, "the caller can never give a permission it does not
 * hold" (403), LAST_ADMIN (409) for any change that would leave no active user holding
 * system:admin, and the mapping to response bodies (which never carry a hash or digest).
 * Checks and the write they guard happen in one synchronous step after any await (argon2).
 */
import { Injectable } from '@nestjs/common';
import { isEmail } from 'class-validator';
import { RepositoryRegistry } from '../git-core/repository-registry';
import type { RoleDefinition } from '../rbac/built-in-roles';
import {
  expand,
  isPermission,
  isRepositoryPermission,
  normalizePermissions,
} from '../rbac/permissions';
import { AccessPolicy } from './access-policy';
import {
  ApiKeyNotFoundError,
  CannotDeactivateSelfError,
  CannotDeleteSelfError,
  ForbiddenError,
  InvalidAuthRequestError,
  InvalidCredentialsError,
  InvalidEmailError,
  InvalidPasswordError,
  InvalidUsernameError,
  LastAdminError,
  PermissionGrantFailedError,
  RoleAssignmentFailedError,
  RoleBuiltInError,
  RoleExistsError,
  RoleNotFoundError,
  UserCreationFailedError,
  UserNotFoundError,
} from './auth-errors';
import { AuthenticationService } from './authentication.service';
import {
  API_KEY_DISPLAY_PREFIX_LENGTH,
  generateApiKey,
  hashPassword,
  isAcceptablePassword,
  randomHex,
  verifyPassword,
} from './credential-codecs';
import type {
  ApiKeyInfoDto,
  AuthenticatedUserDto,
  CreateApiKeyDto,
  CreatedApiKeyDto,
  CreateUserDto,
  UpdateUserDto,
  UserDto,
} from './dto/auth.dto';
import {
  IdentityStore,
  type ApiKeyRecord,
  type RepoPermissions,
  type UserRecord,
} from './identity-store';
import type { Principal } from './principal';
import type { JwtClaims } from './credential-codecs';

const USERNAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9._-]{2,31}$/;
const RESERVED_USERNAMES = new Set(['admin', 'root', 'system', 'api', 'anonymous', 'guest']);
const ROLE_NAME_PATTERN = /^[a-z][a-z0-9_-]{1,31}$/;
const MAX_EMAIL_BYTES = 254;
const MAX_USERS = 10_000;
const MAX_KEYS_PER_USER = 200;
const MAX_CUSTOM_ROLES = 1000;
const MAX_GRANTED_REPOS = 10_000;

export interface RoleResponse {
  name: string;
  description: string;
  permissions: string[];
  built_in: boolean;
}

@Injectable()
export class AccountsService {
  private dummyHash: Promise<string> | undefined;

  constructor(
    private readonly identities: IdentityStore,
    private readonly policy: AccessPolicy,
    private readonly authentication: AuthenticationService,
    private readonly registry: RepositoryRegistry,
  ) {}

  // ---- passwords and login ----------------------------------------------------------------------

  /**
   * The user whose password this is, or InvalidCredentialsError. An unknown user, one without a
   * password and an inactive one cost one argon2 verification too, so timing tells nothing.
   */
  async checkPassword(username: string, password: string): Promise<UserRecord> {
    const user = this.identities.userByUsername(username);
    if (user?.passwordHash === undefined) {
      await verifyPassword(await this.dummy(), password);
      throw new InvalidCredentialsError();
    }
    const ok = await verifyPassword(user.passwordHash, password);
    const current = this.identities.user(user.id);
    if (!ok || current === undefined || !current.active) throw new InvalidCredentialsError();
    return current;
  }

  /** A hash of a random password, made once, for the equal-cost path of unknown users. */
  private dummy(): Promise<string> {
    this.dummyHash ??= hashPassword(randomHex(16));
    return this.dummyHash;
  }

  revokeSession(jti: string): Promise<void> {
    return this.identities.revokeSession(jti);
  }

  // ---- views --------------------------------------------------------------------------------

  toUser(user: UserRecord): UserDto {
    return {
      id: user.id,
      username: user.username,
      email: user.email,
      roles: [...user.roles],
      permissions: expand(this.identities.rolePermissions(user)),
      repo_permissions: copyGrants(user.repoPermissions),
      active: user.active,
      has_password: user.passwordHash !== undefined,
      created_at: user.createdAt,
      updated_at: user.updatedAt,
    };
  }

  toKeyInfo(key: ApiKeyRecord): ApiKeyInfoDto {
    const lastUsed = this.identities.lastUsedOf(key);
    const expired = key.expiresAt !== undefined && Date.parse(key.expiresAt) <= Date.now();
    return {
      id: key.id,
      name: key.name,
      user_id: key.userId,
      prefix: key.prefix,
      permissions: [...key.permissions],
      repo_permissions: copyGrants(key.repoPermissions),
      active: key.active && !expired,
      ...(lastUsed !== undefined ? { last_used: lastUsed } : {}),
      created_at: key.createdAt,
      ...(key.expiresAt !== undefined ? { expires_at: key.expiresAt } : {}),
    };
  }

  authenticatedUser(principal: Principal, claims?: JwtClaims): AuthenticatedUserDto {
    const user = this.requireUser(principal.id);
    const key =
      principal.apiKeyId === undefined ? undefined : this.identities.key(principal.apiKeyId);
    const tokenInfo =
      principal.authMethod === 'jwt'
        ? (claims as unknown as Record<string, unknown> | undefined)
        : key === undefined
          ? undefined
          : (this.toKeyInfo(key) as unknown as Record<string, unknown>);
    return {
      id: user.id,
      username: user.username,
      email: user.email,
      roles: [...user.roles],
      permissions: this.policy.effectivePermissions(principal),
      repo_permissions: this.policy.effectiveRepoPermissions(principal),
      auth_method: principal.authMethod,
      ...(tokenInfo !== undefined ? { token_info: tokenInfo } : {}),
    };
  }

  // ---- users --------------------------------------------------------------------------------

  requireUser(id: string): UserRecord {
    const user = this.identities.user(id);
    if (user === undefined) throw new UserNotFoundError();
    return user;
  }

  /** `user:read`, or the caller's own record. */
  requireSelfOr(caller: Principal, userId: string, permission: string): UserRecord {
    const user = this.requireUser(userId);
    if (caller.id !== userId && !this.policy.allows(caller, permission)) {
      throw new ForbiddenError('Insufficient permissions', { required: permission });
    }
    return user;
  }

  listUsers(limit: number, offset: number): { users: UserDto[]; count: number; total: number } {
    const all = this.identities.listUsers();
    const users = all.slice(offset, offset + limit).map((user) => this.toUser(user));
    return { users, count: users.length, total: all.length };
  }

  async createUser(caller: Principal, body: CreateUserDto): Promise<UserDto> {
    checkUsername(body.username);
    checkEmail(body.email);
    if (body.password !== undefined && !isAcceptablePassword(body.password)) {
      throw new InvalidPasswordError();
    }
    const roles = normalizePermissions(body.roles ?? []);
    for (const name of roles) this.requireGivableRole(caller, name);
    const passwordHash =
      body.password === undefined ? undefined : await hashPassword(body.password);
    this.checkFree(body.username, body.email);
    if (this.identities.userCount() >= MAX_USERS) {
      throw new InvalidAuthRequestError('username', `at most ${MAX_USERS} users`);
    }
    const now = new Date().toISOString();
    const user: UserRecord = {
      id: `user_${randomHex(8)}`,
      username: body.username,
      email: body.email,
      ...(passwordHash !== undefined ? { passwordHash } : {}),
      roles,
      repoPermissions: {},
      active: true,
      createdAt: now,
      updatedAt: now,
    };
    await this.identities.saveUser(user);
    return this.toUser(user);
  }

  async updateUser(caller: Principal, userId: string, body: UpdateUserDto): Promise<UserDto> {
    const user = this.requireUser(userId);
    const canWrite = this.policy.allows(caller, 'user:write');
    if (!canWrite && (caller.id !== userId || body.username !== undefined)) {
      throw new ForbiddenError('Insufficient permissions', { required: 'user:write' });
    }
    if (body.username !== undefined && body.username !== user.username)
      checkUsername(body.username);
    if (body.email !== undefined) checkEmail(body.email);
    this.checkFree(body.username, body.email, userId);
    const next: UserRecord = {
      ...user,
      username: body.username ?? user.username,
      email: body.email ?? user.email,
      updatedAt: new Date().toISOString(),
    };
    await this.identities.saveUser(next);
    return this.toUser(next);
  }

  async deleteUser(caller: Principal, userId: string): Promise<void> {
    if (caller.id === userId) throw new CannotDeleteSelfError();
    this.requireUser(userId);
    this.checkAdminsRemain({ user: { id: userId, next: undefined } });
    await this.identities.deleteUser(userId);
  }

  async setActive(caller: Principal, userId: string, active: boolean): Promise<UserDto> {
    const user = this.requireUser(userId);
    if (!active && caller.id === userId) throw new CannotDeactivateSelfError();
    if (user.active === active) return this.toUser(user);
    const next = { ...user, active, updatedAt: new Date().toISOString() };
    if (!active) this.checkAdminsRemain({ user: { id: userId, next } });
    await this.identities.saveUser(next);
    return this.toUser(next);
  }

  async changePassword(
    caller: Principal,
    userId: string,
    password: string,
    currentPassword: string | undefined,
  ): Promise<void> {
    const user = this.requireUser(userId);
    const canWrite = this.policy.allows(caller, 'user:write');
    if (caller.id !== userId && !canWrite) {
      throw new ForbiddenError('Insufficient permissions', { required: 'user:write' });
    }
    if (!isAcceptablePassword(password)) throw new InvalidPasswordError();
    if (caller.id === userId && !canWrite) {
      const ok =
        currentPassword !== undefined &&
        user.passwordHash !== undefined &&
        (await verifyPassword(user.passwordHash, currentPassword));
      if (!ok) throw new InvalidCredentialsError();
    }
    const passwordHash = await hashPassword(password);
    const current = this.requireUser(userId);
    await this.identities.saveUser({
      ...current,
      passwordHash,
      updatedAt: new Date().toISOString(),
    });
    await this.identities.revokeSessionsOf(
      userId,
      caller.id === userId ? caller.tokenId : undefined,
    );
  }

  async assignRole(caller: Principal, userId: string, roleName: string): Promise<string> {
    const user = this.requireUser(userId);
    this.requireGivableRole(caller, roleName);
    if (!user.roles.includes(roleName)) {
      await this.identities.saveUser({
        ...user,
        roles: [...user.roles, roleName].sort(),
        updatedAt: new Date().toISOString(),
      });
    }
    return `Role '${roleName}' assigned to user '${user.username}'`;
  }

  async removeRole(userId: string, roleName: string): Promise<string> {
    const user = this.requireUser(userId);
    if (this.identities.role(roleName) === undefined) throw new RoleAssignmentFailedError(roleName);
    if (user.roles.includes(roleName)) {
      const next = {
        ...user,
        roles: user.roles.filter((role) => role !== roleName),
        updatedAt: new Date().toISOString(),
      };
      this.checkAdminsRemain({ user: { id: userId, next } });
      await this.identities.saveUser(next);
    }
    return `Role '${roleName}' removed from user '${user.username}'`;
  }

  // ---- API keys -------------------------------------------------------------------------------

  async createKey(
    caller: Principal,
    ownerId: string,
    body: CreateApiKeyDto,
  ): Promise<CreatedApiKeyDto> {
    const owner = this.requireUser(ownerId);
    const permissions = normalizePermissions(
      body.permissions ?? this.policy.effectivePermissions(caller),
    );
    permissions.forEach((permission, index) => {
      if (!isPermission(permission)) {
        throw new InvalidAuthRequestError(
          `permissions[${index}]`,
          `unknown permission '${permission}'`,
        );
      }
      this.requireHeld(caller, permission);
    });
    const repoPermissions = this.parseRepoPermissions(caller, body.repo_permissions ?? {});
    const expiresAt = expiryOf(body);
    if (this.identities.keysOf(owner.id).length >= MAX_KEYS_PER_USER) {
      throw new InvalidAuthRequestError(
        'name',
        `a user may have at most ${MAX_KEYS_PER_USER} API keys`,
      );
    }
    const key = generateApiKey();
    const record: ApiKeyRecord = {
      id: randomHex(16),
      name: body.name,
      userId: owner.id,
      prefix: key.slice(0, API_KEY_DISPLAY_PREFIX_LENGTH),
      digest: this.authentication.digestOf(key),
      permissions,
      repoPermissions,
      active: true,
      createdAt: new Date().toISOString(),
      ...(expiresAt !== undefined ? { expiresAt } : {}),
    };
    await this.identities.saveKey(record);
    return { key, key_info: this.toKeyInfo(record) };
  }

  listKeys(userId: string): { api_keys: ApiKeyInfoDto[]; keys: ApiKeyInfoDto[]; count: number } {
    const keys = this.identities.keysOf(userId).map((key) => this.toKeyInfo(key));
    return { api_keys: keys, keys, count: keys.length };
  }

  /** The key, for its owner or a holder of `user:read`; others are told it does not exist. */
  getKey(caller: Principal, keyId: string): ApiKeyInfoDto {
    const key = this.identities.key(keyId);
    if (
      key === undefined ||
      (key.userId !== caller.id && !this.policy.allows(caller, 'user:read'))
    ) {
      throw new ApiKeyNotFoundError();
    }
    return this.toKeyInfo(key);
  }

  async revokeKey(caller: Principal, keyId: string): Promise<void> {
    const key = this.identities.key(keyId);
    if (key === undefined) throw new ApiKeyNotFoundError();
    if (key.userId !== caller.id && !this.policy.allows(caller, 'user:write')) {
      throw new ForbiddenError('Cannot revoke API key belonging to another user');
    }
    if (key.active) await this.identities.saveKey({ ...key, active: false });
  }

  // ---- roles ----------------------------------------------------------------------------------

  toRole(role: RoleDefinition): RoleResponse {
    return {
      name: role.name,
      description: role.description,
      permissions: [...role.permissions],
      built_in: role.builtIn,
    };
  }

  listRoles(): RoleResponse[] {
    return this.identities.listRoles().map((role) => this.toRole(role));
  }

  requireRole(name: string): RoleDefinition {
    const role = this.identities.role(name);
    if (role === undefined) throw new RoleNotFoundError(name);
    return role;
  }

  async createRole(
    name: string,
    description: string,
    permissions: string[],
  ): Promise<RoleResponse> {
    if (!ROLE_NAME_PATTERN.test(name)) {
      throw new InvalidAuthRequestError('name', 'must match ^[a-z][a-z0-9_-]{1,31}$');
    }
    const checked = checkPermissionList(permissions);
    if (this.identities.role(name) !== undefined) throw new RoleExistsError(name);
    if (this.identities.listRoles().length >= MAX_CUSTOM_ROLES) {
      throw new InvalidAuthRequestError('name', `at most ${MAX_CUSTOM_ROLES} roles`);
    }
    const role: RoleDefinition = { name, description, permissions: checked, builtIn: false };
    await this.identities.saveRole(role);
    return this.toRole(role);
  }

  async updateRole(
    name: string,
    description: string | undefined,
    permissions: string[] | undefined,
  ): Promise<RoleResponse> {
    const role = this.requireRole(name);
    if (role.builtIn) throw new RoleBuiltInError();
    const next: RoleDefinition = {
      ...role,
      description: description ?? role.description,
      permissions: permissions === undefined ? role.permissions : checkPermissionList(permissions),
    };
    this.checkAdminsRemain({ role: { name, next } });
    await this.identities.saveRole(next);
    return this.toRole(next);
  }

  async deleteRole(name: string): Promise<void> {
    const role = this.requireRole(name);
    if (role.builtIn) throw new RoleBuiltInError();
    this.checkAdminsRemain({ role: { name, next: undefined } });
    await this.identities.deleteRole(name);
  }

  // ---- repository grants ----------------------------------------------------------------------

  listGrants(repoId: string): { permissions: Array<Record<string, unknown>>; count: number } {
    this.registry.record(repoId);
    const permissions = this.identities.grantsOn(repoId).map(({ user, permissions: list }) => ({
      repo_id: repoId,
      user_id: user.id,
      username: user.username,
      permissions: [...list],
    }));
    return { permissions, count: permissions.length };
  }

  async setGrant(
    caller: Principal,
    repoId: string,
    userId: string,
    permissions: string[],
  ): Promise<{ repo_id: string; user_id: string; username: string; permissions: string[] }> {
    this.registry.record(repoId);
    const user = this.requireUser(userId);
    for (const permission of permissions) {
      if (!isRepositoryPermission(permission)) throw new PermissionGrantFailedError(permission);
      this.requireHeld(caller, permission, repoId);
    }
    this.checkGrantLimit(user, repoId);
    const list = normalizePermissions(permissions);
    await this.identities.setGrant(userId, repoId, list);
    return { repo_id: repoId, user_id: userId, username: user.username, permissions: list };
  }

  async addGrant(
    caller: Principal,
    userId: string,
    repoId: string,
    permission: string,
  ): Promise<string> {
    if (!isRepositoryPermission(permission)) throw new PermissionGrantFailedError(permission);
    const user = this.requireUser(userId);
    this.registry.record(repoId);
    this.requireHeld(caller, permission, repoId);
    this.checkGrantLimit(user, repoId);
    const current = user.repoPermissions[repoId] ?? [];
    if (!current.includes(permission)) {
      await this.identities.setGrant(userId, repoId, [...current, permission]);
    }
    return `Permission '${permission}' granted to user '${user.username}' for repository '${repoId}'`;
  }

  async removeGrant(userId: string, repoId: string, permission?: string): Promise<string> {
    const user = this.requireUser(userId);
    const current = user.repoPermissions[repoId] ?? [];
    const next = permission === undefined ? [] : current.filter((p) => p !== permission);
    if (next.length !== current.length) await this.identities.setGrant(userId, repoId, next);
    return permission === undefined
      ? `permissions of user '${user.username}' on repository '${repoId}' removed`
      : `Permission '${permission}' revoked from user '${user.username}' for repository '${repoId}'`;
  }

  /** The creator of a repository gets repo:admin on it (api-contract.md §0.3). */
  async grantCreator(principal: Principal | null, repoId: string): Promise<void> {
    if (principal === null || !this.authentication.isEnabled()) return;
    const user = this.identities.user(principal.id);
    if (user === undefined) return;
    const current = user.repoPermissions[repoId] ?? [];
    if (!current.includes('repo:admin')) {
      await this.identities.setGrant(user.id, repoId, [...current, 'repo:admin']);
    }
  }

  /** Drops every grant on a deleted repository. */
  forgetRepository(repoId: string): Promise<void> {
    return this.identities.loaded ? this.identities.forgetRepository(repoId) : Promise.resolve();
  }

  // ---- rules ----------------------------------------------------------------------------------

  private requireHeld(caller: Principal, permission: string, repoId?: string): void {
    if (!this.policy.allows(caller, permission, repoId)) {
      throw new ForbiddenError('cannot give a permission you do not hold', {
        required: permission,
      });
    }
  }

  private requireGivableRole(caller: Principal, name: string): void {
    const role = this.identities.role(name);
    if (role === undefined) throw new RoleAssignmentFailedError(name);
    for (const permission of role.permissions) this.requireHeld(caller, permission);
  }

  private checkFree(username: string | undefined, email: string | undefined, self?: string): void {
    if (username !== undefined) {
      const owner = this.identities.userByUsername(username);
      if (owner !== undefined && owner.id !== self)
        throw new UserCreationFailedError('username', username);
    }
    if (email !== undefined) {
      const owner = this.identities.userIdByEmail(email);
      if (owner !== undefined && owner !== self) throw new UserCreationFailedError('email', email);
    }
  }

  private checkAdminsRemain(change: Parameters<IdentityStore['countAdmins']>[0]): void {
    if (this.identities.countAdmins() > 0 && this.identities.countAdmins(change) === 0) {
      throw new LastAdminError();
    }
  }

  private checkGrantLimit(user: UserRecord, repoId: string): void {
    if (
      user.repoPermissions[repoId] === undefined &&
      Object.keys(user.repoPermissions).length >= MAX_GRANTED_REPOS
    ) {
      throw new InvalidAuthRequestError(
        'repo_id',
        `a user may have grants on at most ${MAX_GRANTED_REPOS} repositories`,
      );
    }
  }

  private parseRepoPermissions(caller: Principal, value: Record<string, unknown>): RepoPermissions {
    const result: Record<string, string[]> = {};
    const entries = Object.entries(value);
    if (entries.length > MAX_GRANTED_REPOS) {
      throw new InvalidAuthRequestError('repo_permissions', 'too many repositories');
    }
    for (const [repoId, list] of entries) {
      if (!Array.isArray(list)) {
        throw new InvalidAuthRequestError(
          `repo_permissions.${repoId}`,
          'must be an array of permissions',
        );
      }
      list.forEach((permission: unknown, index) => {
        if (!isRepositoryPermission(permission)) {
          throw new InvalidAuthRequestError(
            `repo_permissions.${repoId}[${index}]`,
            'must be a repo:* or webhook:* permission',
          );
        }
        this.requireHeld(caller, permission, repoId);
      });
      if (list.length > 0) result[repoId] = normalizePermissions(list as string[]);
    }
    return result;
  }
}

function copyGrants(grants: RepoPermissions): Record<string, string[]> {
  const copy: Record<string, string[]> = {};
  for (const [repoId, list] of Object.entries(grants)) copy[repoId] = [...list];
  return copy;
}

function checkUsername(username: string): void {
  if (!USERNAME_PATTERN.test(username) || RESERVED_USERNAMES.has(username.toLowerCase())) {
    throw new InvalidUsernameError(username);
  }
}

function checkEmail(email: string): void {
  if (Buffer.byteLength(email, 'utf8') > MAX_EMAIL_BYTES || !isEmail(email)) {
    throw new InvalidEmailError();
  }
}

function checkPermissionList(permissions: string[]): string[] {
  permissions.forEach((permission, index) => {
    if (!isPermission(permission)) {
      throw new InvalidAuthRequestError(
        `permissions[${index}]`,
        `unknown permission '${permission}'`,
      );
    }
  });
  return normalizePermissions(permissions);
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

/** The key's expiry from `expires_at` (future RFC3339) or `expires_in` (seconds). */
function expiryOf(body: CreateApiKeyDto): string | undefined {
  const now = Date.now();
  if (body.expires_at !== undefined && body.expires_at !== null) {
    const time = RFC3339.test(body.expires_at) ? Date.parse(body.expires_at) : Number.NaN;
    if (Number.isNaN(time))
      throw new InvalidAuthRequestError('expires_at', 'must be an RFC3339 time');
    if (time <= now) throw new InvalidAuthRequestError('expires_at', 'must be in the future');
    return new Date(time).toISOString();
  }
  if (body.expires_in !== undefined) {
    if (body.expires_in > 100 * 365 * 86_400) {
      throw new InvalidAuthRequestError('expires_in', 'at most 100 years');
    }
    return new Date(now + body.expires_in * 1000).toISOString();
  }
  return undefined;
}
