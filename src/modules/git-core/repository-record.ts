/**
 * A repository's record in the driver's MetadataStore (collection `repos`): what the REST API
 * knows about a repository besides its git data — when it was created, whether it is
 * memory-only or public, and its config (`user.name`, `user.email`, api-contract.md §0.8).
 */
import type { JsonDocument } from '../../core';

export const REPOSITORY_COLLECTION = 'repos';

/** The config keys a repository stores (git's names). */
export const USER_NAME = 'user.name';
export const USER_EMAIL = 'user.email';

export interface RepositoryRecord {
  readonly id: string;
  /** RFC3339 UTC with milliseconds (a server time, §0.4). */
  readonly createdAt: string;
  readonly memoryOnly: boolean;
  readonly public: boolean;
  readonly config: Readonly<Record<string, string>>;
}

export function toRecordDocument(record: RepositoryRecord): JsonDocument {
  return {
    id: record.id,
    created_at: record.createdAt,
    memory_only: record.memoryOnly,
    public: record.public,
    config: { ...record.config },
  };
}

/** Reads a stored document; fields a document lacks (an older or foreign writer) get defaults. */
export function fromRecordDocument(id: string, document: JsonDocument): RepositoryRecord {
  const config: Record<string, string> = {};
  const stored = document.config;
  if (typeof stored === 'object' && stored !== null && !Array.isArray(stored)) {
    for (const [key, value] of Object.entries(stored as JsonDocument)) {
      if (typeof value === 'string') config[key] = value;
    }
  }
  return {
    id,
    createdAt:
      typeof document.created_at === 'string' ? document.created_at : new Date(0).toISOString(),
    memoryOnly: document.memory_only === true,
    public: document.public === true,
    config,
  };
}
