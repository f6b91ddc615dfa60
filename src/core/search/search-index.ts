/**
 * The search index of one repository (api-contract.md §5.3): the files of the current branch's
 * head with a BlobIndex over their contents. Memory only; built on first use or on rebuild, and
 * brought up to date on the next query after the head moved by diffing the indexed tree against
 * the new one, so only changed blobs are read. `stale` is set from outside (a commit or push
 * event) and cleared by the next sync.
 */
import { diffTrees } from '../diff/tree-diff';
import { isBinaryContent } from '../diff/binary-content';
import { isBlobMode } from '../objects/file-mode';
import type { Oid } from '../objects/oid';
import { walkTreeFiles } from '../repo/tree-view';
import type { Repository } from '../repo/repository';
import { BlobIndex } from './blob-index';

export interface IndexedFile {
  readonly oid: Oid;
  readonly mode: string;
}

export interface SearchIndexOptions {
  /** Blobs larger than this are not tokenized (search.index.max_file_size). */
  readonly maxFileSize: number;
}

export interface SearchIndexStatus {
  readonly commit: Oid | null;
  readonly documents: number;
  readonly terms: number;
  readonly builtAt: Date;
  readonly updatedAt: Date;
  readonly stale: boolean;
}

export class RepositorySearchIndex {
  private blobs = new BlobIndex();
  private readonly files = new Map<string, IndexedFile>();
  private commitOid: Oid | null = null;
  private treeOid: Oid | null = null;
  private builtAt = new Date();
  private updatedAt = new Date();
  private pendingEvents = false;
  private built = false;

  constructor(private readonly options: SearchIndexOptions) {}

  get blobIndex(): BlobIndex {
    return this.blobs;
  }

  get commit(): Oid | null {
    return this.commitOid;
  }

  /** True once the index was synced at least once (a never-used index need not follow events). */
  get isBuilt(): boolean {
    return this.built;
  }

  /** Marks the index as behind the repository until the next sync. */
  markStale(): void {
    this.pendingEvents = true;
  }

  /** Path → blob of every indexed file, in path order of the tree walk. */
  indexedFiles(): ReadonlyMap<string, IndexedFile> {
    return this.files;
  }

  status(repository: Repository): SearchIndexStatus {
    return {
      commit: this.commitOid,
      documents: this.documentCount(),
      terms: this.blobs.termCount,
      builtAt: this.builtAt,
      updatedAt: this.updatedAt,
      stale: this.pendingEvents || repository.head().oid !== this.commitOid,
    };
  }

  /** Indexed files with searchable text (full-text documents). */
  documentCount(): number {
    let count = 0;
    for (const file of this.files.values()) if (this.blobs.get(file.oid)?.indexed) count++;
    return count;
  }

  /** Drops everything and indexes HEAD's tree again. */
  rebuild(repository: Repository): void {
    this.blobs = new BlobIndex();
    this.files.clear();
    this.commitOid = null;
    this.treeOid = null;
    this.builtAt = new Date();
    this.sync(repository);
  }

  /**
   * Brings the index to HEAD: nothing when the head is the indexed commit, else the changes
   * between the indexed tree and HEAD's tree (a full walk the first time).
   */
  sync(repository: Repository): void {
    const head = repository.head().oid;
    this.pendingEvents = false;
    this.built = true;
    if (head === this.commitOid) return;
    const odb = repository.odb;
    const tree = head === null ? null : odb.readCommit(head).tree;
    if (this.treeOid === null) {
      this.builtAt = new Date();
      if (tree !== null) {
        walkTreeFiles(odb, tree, '', (path, entry) => this.addFile(repository, path, entry));
      }
    } else if (tree !== this.treeOid) {
      for (const change of diffTrees(odb, this.treeOid, tree, { renames: false })) {
        if (change.oldOid !== null && this.files.has(change.path)) {
          this.files.delete(change.path);
          this.blobs.removeRef(change.oldOid);
        }
        if (change.newOid !== null && change.newMode !== null) {
          this.addFile(repository, change.path, { oid: change.newOid, mode: change.newMode });
        }
      }
    }
    this.commitOid = head;
    this.treeOid = tree;
    this.updatedAt = new Date();
  }

  private addFile(repository: Repository, path: string, entry: IndexedFile): void {
    if (!isBlobMode(entry.mode)) return;
    const content = repository.odb.readBlob(entry.oid);
    this.blobs.addRef(entry.oid, content, isBinaryContent(content), this.options.maxFileSize);
    this.files.set(path, { oid: entry.oid, mode: entry.mode });
  }
}
