/**
 * Sets up repositories for e2e tests straight through the RepositoryRegistry, so route tests
 * do not depend on the repository and file routes.
 */
import type { INestApplication } from '@nestjs/common';
import { RepositoryRegistry } from '../../src/modules/git-core/repository-registry';

const AUTHOR = { name: 'Test', email: 'test@example.com' };

export async function createRepo(app: INestApplication, id: string): Promise<void> {
  await app.get(RepositoryRegistry).create({ id, memoryOnly: true, public: false });
}

/** Stages `files` (null deletes) and commits them (at Unix time `at`); returns the hash. */
export function commitFiles(
  app: INestApplication,
  id: string,
  files: Readonly<Record<string, string | null>>,
  message = 'change',
  at?: number,
): Promise<string> {
  return app.get(RepositoryRegistry).write(id, ({ repository }) => {
    for (const [path, content] of Object.entries(files)) {
      if (content === null) repository.remove(path);
      else repository.add(path, content);
    }
    return repository.commit({ message, author: { ...AUTHOR, timestamp: at } }).oid;
  });
}

/** Writes files to the working tree only (local, unstaged changes). */
export function writeFiles(
  app: INestApplication,
  id: string,
  files: Readonly<Record<string, string>>,
): Promise<void> {
  return app.get(RepositoryRegistry).write(id, ({ repository }) => {
    for (const [path, content] of Object.entries(files)) repository.write(path, content);
  });
}

/** Stages files without committing. */
export function stageFiles(
  app: INestApplication,
  id: string,
  files: Readonly<Record<string, string>>,
): Promise<void> {
  return app.get(RepositoryRegistry).write(id, ({ repository }) => {
    for (const [path, content] of Object.entries(files)) repository.add(path, content);
  });
}

export const HASH = /^[0-9a-f]{40}$/;
export const GIT_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
export const SERVER_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
