/**
 * Start of the auth feature, once storage is open (onApplicationBootstrap runs after every
 * module's onModuleInit, so the registry has opened the driver): load the audit log and the
 * identity store, the JWT secret (`auth.jwt.secret`, else generated once and kept by the
 * driver: `<storage.path>/jwt-secret` 0600 on disk, the metadata table with postgres) and the
 * API-key pepper, then the first-start admin of api-contract.md §0.3: with no users, create
 * `admin` with a random (or `auth.admin_password`) password and the API key `initial-admin`,
 * written to `<storage.path>/initial-admin.json` (0600, exclusive create) before anything is
 * stored. A file that cannot be written stops the start; the secrets are never logged.
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { mkdir, open, unlink } from 'node:fs/promises';
import * as path from 'node:path';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { AuthConfig, StorageConfig } from '../../config/config.schema';
import { RepositoryRegistry } from '../git-core/repository-registry';
import { expand } from '../rbac/permissions';
import { AuditLog } from './audit-log';
import { AuthenticationService } from './authentication.service';
import {
  API_KEY_DISPLAY_PREFIX_LENGTH,
  generateApiKey,
  hashPassword,
  isAcceptablePassword,
  randomHex,
} from './credential-codecs';
import { IdentityStore, type UserRecord } from './identity-store';

export const INITIAL_ADMIN_FILE = 'initial-admin.json';
export const JWT_SECRET_NAME = 'jwt-secret';
export const API_KEY_PEPPER_NAME = 'apikey-pepper';

@Injectable()
export class AuthBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger('Auth');

  constructor(
    private readonly config: AuthConfig,
    private readonly storage: StorageConfig,
    private readonly registry: RepositoryRegistry,
    private readonly identities: IdentityStore,
    private readonly authentication: AuthenticationService,
    private readonly audit: AuditLog,
  ) {
    // Refused before storage opens, like any other configuration error.
    if (config.admin_password !== '' && !isAcceptablePassword(config.admin_password)) {
      throw new Error('auth.admin_password must be 12–1024 bytes');
    }
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.registry.isStorageOpen()) {
      this.logger.error(
        'storage is not open: users and keys are unavailable, credentials are refused',
      );
      return;
    }
    const metadata = this.registry.metadataStore();
    this.audit.load(metadata);
    if (!this.config.enabled) return;
    this.identities.load(metadata);
    const generate = (): string => randomBytes(64).toString('base64url');
    const jwtSecret =
      this.config.jwt.secret !== ''
        ? this.config.jwt.secret
        : await metadata.secret(JWT_SECRET_NAME, generate);
    const pepper = await metadata.secret(API_KEY_PEPPER_NAME, generate);
    this.authentication.useSecrets(Buffer.from(jwtSecret, 'utf8'), Buffer.from(pepper, 'utf8'));
    if (this.config.bootstrap_admin && this.identities.userCount() === 0) await this.createAdmin();
  }

  private async createAdmin(): Promise<void> {
    const fromEnv = this.config.admin_password !== '';
    const password = fromEnv ? this.config.admin_password : randomBytes(18).toString('base64url');
    const key = generateApiKey();
    const file = path.resolve(this.storage.path, INITIAL_ADMIN_FILE);
    const content = {
      username: 'admin',
      ...(fromEnv ? {} : { password }),
      api_key: key,
    };
    await writeExclusive(file, `${JSON.stringify(content, null, 2)}\n`);

    const now = new Date().toISOString();
    const admin: UserRecord = {
      id: 'admin',
      username: 'admin',
      email: 'admin@govc.dev',
      passwordHash: await hashPassword(password),
      roles: ['admin'],
      repoPermissions: {},
      active: true,
      createdAt: now,
      updatedAt: now,
    };
    await this.identities.saveUser(admin);
    await this.identities.saveKey({
      id: randomHex(16),
      name: 'initial-admin',
      userId: admin.id,
      prefix: key.slice(0, API_KEY_DISPLAY_PREFIX_LENGTH),
      digest: this.authentication.digestOf(key),
      permissions: expand(this.identities.rolePermissions(admin)),
      repoPermissions: {},
      active: true,
      createdAt: now,
    });
    this.logger.warn(
      `created the first user 'admin' and its API key; credentials written to ${file} (mode 0600): ` +
        'read them, then delete the file',
    );
  }
}

/**
 * Writes a new 0600 file. An older file of the same name (from an earlier start of the memory
 * driver) is removed first; O_EXCL then refuses to follow anything put in its place.
 */
async function writeExclusive(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  await unlink(file).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
  const handle = await open(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
}
