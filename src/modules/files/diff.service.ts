/**
 * Diffs and blame (api-contract.md §3.3): tree diffs between two revisions in three formats,
 * the working state against HEAD, one file between two revisions, and line-by-line blame.
 * Every text is the engine's git-identical output.
 */
import { Injectable } from '@nestjs/common';
import {
  FileNotFoundError,
  TreeView,
  blame,
  detectRenames,
  diffFileEntries,
  diffTrees,
  formatNameOnly,
  formatNameStatus,
  toFileDiffs,
  unifiedDiffText,
  validateFilePath,
  type Commit,
  type Oid,
  type Repository,
  type TreeChange,
  type WorkingChange,
} from '../../core';
import { RepositoryRegistry } from '../git-core/repository-registry';
import { toBlameLine, toBlameResponse, type BlameResponseDto } from './dto/blame-response.dto';
import type { BlameQueryDto } from './dto/blame-query.dto';
import type { DiffFormatQueryDto } from './dto/diff-query.dto';
import { toDiffResponse, type DiffResponseDto } from './dto/diff-response.dto';
import type { FileDiffQueryDto } from './dto/file-diff-query.dto';
import {
  toSingleFileDiffResponse,
  type SingleFileDiffResponseDto,
} from './dto/file-diff-response.dto';
import { toFileDiffDto } from './dto/file-diff.dto';
import {
  toWorkingDiffResponse,
  type WorkingDiffResponseDto,
} from './dto/working-diff-response.dto';

const DEFAULT_CONTEXT = 3;

@Injectable()
export class DiffService {
  constructor(private readonly registry: RepositoryRegistry) {}

  /** Tree diff `from` → `to` with renames; `files` for every format, patches only for unified. */
  async diff(
    repoId: string,
    from: string,
    to: string | undefined,
    query: DiffFormatQueryDto,
  ): Promise<DiffResponseDto> {
    const { repository } = await this.registry.open(repoId);
    const newRef = to ?? 'HEAD';
    const format = query.format ?? 'unified';
    const oldTree = commitTree(repository, from);
    const newTree = commitTree(repository, newRef);
    const changes = diffTrees(repository.odb, oldTree, newTree);
    const diffs = toFileDiffs(repository.odb, changes, {
      context: query.context ?? DEFAULT_CONTEXT,
      patch: format === 'unified',
    });
    const text =
      format === 'unified'
        ? unifiedDiffText(diffs)
        : format === 'raw'
          ? formatNameStatus(changes)
          : formatNameOnly(changes);
    return toDiffResponse(from, newRef, format, text, diffs.map(toFileDiffDto));
  }

  /** Index against HEAD and working tree against index, renames detected like git's. */
  async working(repoId: string): Promise<WorkingDiffResponseDto> {
    const { repository } = await this.registry.open(repoId);
    const odb = repository.odb;
    const staged = detectRenames(odb, repository.stagedChanges().map(toTreeChange));
    const unstaged = detectRenames(odb, repository.unstagedChanges().map(toTreeChange));
    return toWorkingDiffResponse(
      toFileDiffs(odb, staged).map(toFileDiffDto),
      toFileDiffs(odb, unstaged).map(toFileDiffDto),
    );
  }

  /** One file between two revisions; a side without the file counts as empty. */
  async file(
    repoId: string,
    path: string,
    query: FileDiffQueryDto,
  ): Promise<SingleFileDiffResponseDto> {
    const { repository } = await this.registry.open(repoId);
    validateFilePath(path);
    const from = query.from ?? 'HEAD~1';
    const to = query.to ?? 'HEAD';
    const oldEntry = new TreeView(repository.odb, commitTree(repository, from)).file(path);
    const newEntry = new TreeView(repository.odb, commitTree(repository, to)).file(path);
    const patch = diffFileEntries(repository.odb, path, oldEntry ?? null, newEntry ?? null);
    if (patch === undefined) {
      throw new FileNotFoundError(path, 'file not found in one or both commits');
    }
    return toSingleFileDiffResponse(path, from, to, patch);
  }

  /** Each line of `path` at `ref` with the commit that introduced it. */
  async blame(repoId: string, path: string, query: BlameQueryDto): Promise<BlameResponseDto> {
    const { repository } = await this.registry.open(repoId);
    validateFilePath(path);
    const ref = query.ref ?? 'HEAD';
    const lines = blame(repository.odb, repository.resolveCommit(ref), path, {
      ...(query.start === undefined ? {} : { start: query.start }),
      ...(query.end === undefined ? {} : { end: query.end }),
      revisionLabel: ref,
    });
    const commits = new Map<Oid, Commit>();
    const commitOf = (oid: Oid): Commit => {
      let commit = commits.get(oid);
      if (commit === undefined) {
        commit = repository.odb.readCommit(oid);
        commits.set(oid, commit);
      }
      return commit;
    };
    return toBlameResponse(
      path,
      ref,
      lines.map((line) => toBlameLine(line, commitOf(line.commit))),
    );
  }
}

/** The root tree of the commit a revision names (REF_NOT_FOUND, INVALID_REF, AMBIGUOUS_REF). */
function commitTree(repository: Repository, revision: string): Oid {
  return repository.odb.readCommit(repository.resolveCommit(revision)).tree;
}

function toTreeChange(change: WorkingChange): TreeChange {
  return {
    status: change.oldOid === null ? 'added' : change.newOid === null ? 'deleted' : 'modified',
    path: change.path,
    oldMode: change.oldMode,
    newMode: change.newMode,
    oldOid: change.oldOid,
    newOid: change.newOid,
  };
}
