/**
 * Where each repository's hook scripts are kept: one document per repository (collection
 * `server_hooks`, id = repository id) in the metadata store that holds the repository's record,
 * so they persist with the configured driver, stay in memory for a memory-only repository and
 * are deleted with the repository (RepositoryRegistry.deleteWithRepository).
 */
import type { JsonDocument } from '../../../core';
import type { RepositoryRegistry } from '../../git-core/repository-registry';
import { isServerHookType, type ServerHookType } from './server-hook-types';

export const SERVER_HOOK_COLLECTION = 'server_hooks';

/** One configured hook as stored. */
export interface StoredServerHook {
  readonly script: string;
  readonly enabled: boolean;
  /** Seconds. */
  readonly timeout: number;
  readonly environment: Readonly<Record<string, string>>;
  readonly updatedAt: string;
  readonly updatedBy: string | null;
}

export class ServerHookStore {
  constructor(private readonly registry: RepositoryRegistry) {}

  /** Every hook of the repository, by type in the contract's order. RepoNotFoundError. */
  list(repoId: string): Array<[ServerHookType, StoredServerHook]> {
    const document = this.registry.metadataFor(repoId).get(SERVER_HOOK_COLLECTION, repoId);
    if (document === undefined) return [];
    const hooks = document.hooks as Readonly<Record<string, JsonDocument>> | undefined;
    const found: Array<[ServerHookType, StoredServerHook]> = [];
    for (const [type, stored] of Object.entries(hooks ?? {})) {
      if (isServerHookType(type)) found.push([type, fromDocument(stored)]);
    }
    return found;
  }

  get(repoId: string, type: ServerHookType): StoredServerHook | undefined {
    return this.list(repoId).find(([stored]) => stored === type)?.[1];
  }

  /** Stores a hook durably; true when it is new. */
  async put(repoId: string, type: ServerHookType, hook: StoredServerHook): Promise<boolean> {
    const metadata = this.registry.metadataFor(repoId);
    const hooks = Object.fromEntries(this.list(repoId));
    const created = hooks[type] === undefined;
    hooks[type] = hook;
    metadata.put(SERVER_HOOK_COLLECTION, repoId, toDocument(hooks));
    await metadata.flush();
    return created;
  }

  /** Removes a hook durably; false when there was none. */
  async delete(repoId: string, type: ServerHookType): Promise<boolean> {
    const metadata = this.registry.metadataFor(repoId);
    const hooks = Object.fromEntries(this.list(repoId));
    if (hooks[type] === undefined) return false;
    delete hooks[type];
    if (Object.keys(hooks).length === 0) metadata.delete(SERVER_HOOK_COLLECTION, repoId);
    else metadata.put(SERVER_HOOK_COLLECTION, repoId, toDocument(hooks));
    await metadata.flush();
    return true;
  }
}

function toDocument(hooks: Partial<Record<ServerHookType, StoredServerHook>>): JsonDocument {
  const stored: Record<string, JsonDocument> = {};
  for (const [type, hook] of Object.entries(hooks)) {
    stored[type] = {
      script: hook.script,
      enabled: hook.enabled,
      timeout: hook.timeout,
      environment: { ...hook.environment },
      updated_at: hook.updatedAt,
      updated_by: hook.updatedBy,
    };
  }
  return { hooks: stored };
}

function fromDocument(document: JsonDocument): StoredServerHook {
  return {
    script: typeof document.script === 'string' ? document.script : '',
    enabled: document.enabled !== false,
    timeout: typeof document.timeout === 'number' ? document.timeout : 30,
    environment: (document.environment ?? {}) as Readonly<Record<string, string>>,
    updatedAt: typeof document.updated_at === 'string' ? document.updated_at : '',
    updatedBy: typeof document.updated_by === 'string' ? document.updated_by : null,
  };
}
