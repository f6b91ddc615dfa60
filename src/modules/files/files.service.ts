/**
 * Files of a repository's working state and of its commits (api-contract.md §3.2 add, §3.3,
 * §4): add, write, read, tree, remove, move. Mutations go through the registry's write queue;
 * reads see the working tree, or with a ref the committed tree (nothing is checked out).
 */
import { Injectable } from '@nestjs/common';
import { FileNotFoundError } from '../../core';
import type { ApiVersion } from '../../http/api-version';
import { queryFilePath } from '../../http/catch-all-path';
import { toSuccessResponse, type SuccessResponseDto } from '../../http/success-response.dto';
import { RepositoryRegistry } from '../git-core/repository-registry';
import type { AddFileDto } from './dto/add-file.dto';
import type { MoveFileDto } from './dto/move-file.dto';
import { toMoveResponse, type MoveResponseDto } from './dto/move-response.dto';
import { toReadFileResponse, type ReadFileResponseDto } from './dto/read-file-response.dto';
import { toRemoveResponse, type RemoveResponseDto } from './dto/remove-response.dto';
import type { TreeQueryDto } from './dto/tree-query.dto';
import {
  toTreeResponse,
  type TreeResponseDto,
  type V2TreeResponseDto,
} from './dto/tree-response.dto';
import type { WriteFileDto } from './dto/write-file.dto';
import { decodeContent } from './file-content';
import { MissingPathError } from './file-input-errors';

@Injectable()
export class FilesService {
  constructor(private readonly registry: RepositoryRegistry) {}

  /** Writes the working tree and stages the file (`git add`). */
  async add(repoId: string, body: AddFileDto, version: ApiVersion): Promise<SuccessResponseDto> {
    const content = decodeContent(body.content, body.encoding);
    await this.registry.write(repoId, ({ repository }) =>
      repository.add(body.path, content, body.mode),
    );
    return toSuccessResponse(version, 'added', `file '${body.path}' added`);
  }

  /** Writes the working tree only (not staged). */
  async write(
    repoId: string,
    body: WriteFileDto,
    version: ApiVersion,
  ): Promise<SuccessResponseDto> {
    const content = decodeContent(body.content, body.encoding);
    await this.registry.write(repoId, ({ repository }) => repository.write(body.path, content));
    return version === 'v1'
      ? toSuccessResponse('v1', 'written', `file ${body.path} written to working directory`)
      : toSuccessResponse('v2', 'written', `file '${body.path}' written`);
  }

  async read(
    repoId: string,
    path: string,
    ref: string | undefined,
    version: ApiVersion,
  ): Promise<ReadFileResponseDto> {
    const { repository } = await this.registry.open(repoId);
    try {
      const file = ref === undefined ? repository.readWorking(path) : repository.readAt(ref, path);
      return toReadFileResponse(file);
    } catch (error) {
      if (version === 'v2' && error instanceof FileNotFoundError) {
        throw new FileNotFoundError(path, `file not found: ${path}`);
      }
      throw error;
    }
  }

  /** v2 GET …/files?path=: read, with `path` required. */
  readV2(
    repoId: string,
    path: string | undefined,
    ref: string | undefined,
  ): Promise<ReadFileResponseDto> {
    return this.read(repoId, requirePath(path), ref, 'v2');
  }

  /** Lists `path` (`''` = the root) of the working tree, or of `ref`. */
  async tree(
    repoId: string,
    path: string,
    query: TreeQueryDto,
    version: ApiVersion,
  ): Promise<TreeResponseDto | V2TreeResponseDto> {
    const { repository } = await this.registry.open(repoId);
    const entries = repository.listTree(path, {
      recursive: query.recursive === true,
      ...(query.ref === undefined ? {} : { commit: query.ref }),
    });
    return toTreeResponse(path, entries, version);
  }

  /** Deletes a file, or a directory with everything below it, from working tree and index. */
  async remove(repoId: string, path: string): Promise<RemoveResponseDto> {
    const removed = await this.registry.write(repoId, ({ repository }) => repository.remove(path));
    return toRemoveResponse(path, removed);
  }

  /** v2 DELETE …/files: remove, with v2's envelope and `path` required. */
  async removeV2(repoId: string, path: string | undefined): Promise<SuccessResponseDto> {
    const required = requirePath(path);
    await this.remove(repoId, required);
    return toSuccessResponse('v2', 'removed', `file '${required}' removed`);
  }

  /** Moves a file or directory, staging both sides. */
  async move(repoId: string, body: MoveFileDto): Promise<MoveResponseDto> {
    await this.registry.write(repoId, ({ repository }) => repository.move(body.from, body.to));
    return toMoveResponse(body.from, body.to);
  }

  /** v2 POST …/files/move: move, with v2's envelope and not-found message. */
  async moveV2(repoId: string, body: MoveFileDto): Promise<SuccessResponseDto> {
    try {
      await this.move(repoId, body);
    } catch (error) {
      if (error instanceof FileNotFoundError) {
        throw new FileNotFoundError(body.from, `source file not found: ${body.from}`);
      }
      throw error;
    }
    return toSuccessResponse('v2', 'moved', `moved '${body.from}' to '${body.to}'`);
  }
}

/** v2's `?path=`: required (MISSING_PATH when absent or empty), one leading `/` dropped. */
function requirePath(path: string | undefined): string {
  if (path === undefined || path === '') throw new MissingPathError();
  return queryFilePath(path);
}
