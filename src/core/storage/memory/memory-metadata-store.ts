/**
 * In-memory metadata: a map of collections, each a map of frozen documents. It is also the
 * working set of the durable metadata stores, which extend it and persist in `flush()`.
 * Secrets live for the life of the process (the memory driver promises nothing more).
 */
import {
  checkCollection,
  checkDocumentId,
  checkSecretName,
  MetadataStore,
  normalizeDocument,
  type JsonDocument,
  type MetadataEntry,
} from '../metadata-store';

export class MemoryMetadataStore extends MetadataStore {
  private readonly collections = new Map<string, Map<string, JsonDocument>>();
  private readonly secrets = new Map<string, Promise<string>>();

  get(collection: string, id: string): JsonDocument | undefined {
    return this.collections.get(collection)?.get(id);
  }

  put(collection: string, id: string, document: JsonDocument): void {
    checkCollection(collection);
    checkDocumentId(id);
    this.store(collection, id, normalizeDocument(document));
  }

  delete(collection: string, id: string): boolean {
    const documents = this.collections.get(collection);
    if (documents === undefined || !documents.delete(id)) return false;
    if (documents.size === 0) this.collections.delete(collection);
    return true;
  }

  list(collection: string): MetadataEntry[] {
    const documents = this.collections.get(collection);
    if (documents === undefined) return [];
    return [...documents]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([id, document]) => ({ id, document }));
  }

  /** Every collection that holds at least one document. */
  collectionNames(): string[] {
    return [...this.collections.keys()].sort();
  }

  async flush(): Promise<void> {
    // Nothing to persist in memory.
  }

  secret(name: string, generate: () => string): Promise<string> {
    checkSecretName(name);
    let value = this.secrets.get(name);
    if (value === undefined) {
      value = Promise.resolve().then(generate);
      this.secrets.set(name, value);
      // A generator that failed may succeed next time: do not cache the failure.
      value.catch(() => this.secrets.delete(name));
    }
    return value;
  }

  /** Stores an already normalized document without the checks (loading persisted state). */
  protected store(collection: string, id: string, document: JsonDocument): void {
    let documents = this.collections.get(collection);
    if (documents === undefined) {
      documents = new Map();
      this.collections.set(collection, documents);
    }
    documents.set(id, document);
  }
}
