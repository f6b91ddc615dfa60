/**
 * The metadata storage port: JSON documents by (collection, id) for what is not git data
 * (repository records, users, API keys, webhooks, ...), plus persisted server secrets.
 *
 * Like the object and ref ports, reads and writes are synchronous against memory and
 * `flush()` makes what was written since the last flush durable. Documents are copied and
 * frozen on `put`, so a caller can neither change a stored document by mutating its own object
 * nor mutate what `get` returns; what is stored is exactly what JSON can carry (every adapter
 * behaves the same: `undefined` fields vanish, dates become strings).
 */

export type JsonValue = null | boolean | number | string | readonly JsonValue[] | JsonDocument;

export interface JsonDocument {
  readonly [key: string]: JsonValue;
}

export interface MetadataEntry {
  readonly id: string;
  readonly document: JsonDocument;
}

/** Collections are short identifiers: `users`, `api_keys`, `repos`. */
const COLLECTION_PATTERN = /^[a-z][a-z0-9_-]{0,63}$/;
const MAX_ID_LENGTH = 1024;
/** Secrets are files on disk (`<storage.path>/<name>`), so names are plain file names. */
const SECRET_NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;

export abstract class MetadataStore {
  /** The document, or undefined when there is none (a miss is not an error). */
  abstract get(collection: string, id: string): JsonDocument | undefined;

  /** Creates or replaces a document. */
  abstract put(collection: string, id: string, document: JsonDocument): void;

  /** Removes a document; false when there was none. */
  abstract delete(collection: string, id: string): boolean;

  /** Every document of a collection, sorted by id (code-unit order). */
  abstract list(collection: string): MetadataEntry[];

  /** Persists what was written since the last flush; resolves when it is durable. */
  abstract flush(): Promise<void>;

  /**
   * A persisted server secret (JWT secret, API-key pepper): the stored value, or, the first
   * time, `generate()`'s value, stored durably before it is returned. Every caller, process and
   * (for postgres) node gets the same value.
   */
  abstract secret(name: string, generate: () => string): Promise<string>;
}

/** Throws RangeError for a collection name outside `[a-z][a-z0-9_-]{0,63}`. */
export function checkCollection(collection: string): void {
  if (!COLLECTION_PATTERN.test(collection)) {
    throw new RangeError(`invalid metadata collection '${collection}'`);
  }
}

/** Throws RangeError for an empty id, one longer than 1024 code units, or one holding NUL. */
export function checkDocumentId(id: string): void {
  if (id.length === 0 || id.length > MAX_ID_LENGTH || id.includes('\0')) {
    throw new RangeError(`invalid metadata id '${id.slice(0, 64)}'`);
  }
}

/** Throws RangeError for a secret name that could not be a plain file name. */
export function checkSecretName(name: string): void {
  if (!SECRET_NAME_PATTERN.test(name)) throw new RangeError(`invalid secret name '${name}'`);
}

function deepFreeze(value: JsonValue): JsonValue {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

function isJsonDocument(value: unknown): value is JsonDocument {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The document as JSON carries it, deep-frozen. Throws RangeError when `document` is not a
 * JSON object after the round trip (e.g. it had a `toJSON` returning something else) or cannot
 * be serialized (cycles, BigInt).
 */
export function normalizeDocument(document: JsonDocument): JsonDocument {
  let copy: unknown;
  try {
    copy = JSON.parse(JSON.stringify(document));
  } catch (error: unknown) {
    throw new RangeError(
      `metadata document is not JSON: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  if (!isJsonDocument(copy)) throw new RangeError('metadata document must be a JSON object');
  deepFreeze(copy);
  return copy;
}
