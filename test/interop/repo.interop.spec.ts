/**
 * The Repository facade against the real git. Random sequences of engine operations (adds with
 * nested directories, executables, symlinks and unicode paths, writes, removes, moves, commits,
 * branches, checkouts, lightweight and annotated tags) are exported byte for byte into a bare
 * repository (loose objects, refs, reflogs), and then:
 * - `git fsck --strict --no-dangling` finds nothing wrong;
 * - `git ls-tree -r` of every commit equals listTree(recursive) at that commit;
 * - `git log --format=%H` of every branch equals Repository.log;
 * - `git reflog` of HEAD and every branch shows our entries with our messages;
 * - tags peel to the commits listTags reports;
 * - `git commit-tree` with the same tree, parents, identity, time and message gives our id.
 * Skipped when git is not installed.
 */
import fc from 'fast-check';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { FileMode } from '../../src/core/objects/file-mode';
import type { Oid } from '../../src/core/objects/oid';
import { formatSignature } from '../../src/core/objects/signature';
import { encodeLooseObject, looseObjectPath } from '../../src/core/storage/loose-object';
import type { Repository } from '../../src/core/repo/repository';
import { fcParams } from '../support/fast-check';
import { git, gitAvailable, gitResult, tempBareRepo } from '../support/git-cli';
import { TEST_AUTHOR, TestRepo } from '../support/test-repo';

const describeWithGit = gitAvailable() ? describe : describe.skip;

const COMPONENTS = ['src', 'lib', 'a.txt', 'é', '日本語', 'x y', 'dir.d', 'dir-d', '😀'] as const;
const pathArb = fc
  .array(fc.constantFrom(...COMPONENTS), { minLength: 1, maxLength: 3 })
  .map((parts) => parts.join('/'));
const contentArb = fc.constantFrom(
  '',
  'hello\n',
  'no newline',
  'line\r\nwindows\r\n',
  '\u00e9t\u00e9\n',
  'a'.repeat(300),
);
const branchArb = fc.constantFrom('main', 'feature/x', 'topic', 'release-1');

const opArb = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      op: fc.constant('add' as const),
      path: pathArb,
      content: contentArb,
      mode: fc.constantFrom(FileMode.Regular, FileMode.Executable, FileMode.Symlink),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ op: fc.constant('write' as const), path: pathArb, content: contentArb }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('remove' as const), path: pathArb }) },
  {
    weight: 2,
    arbitrary: fc.record({ op: fc.constant('move' as const), from: pathArb, to: pathArb }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant('commit' as const),
      message: fc.constantFrom('subject', 'subject\n\nbody text', 'ünïcødé ✓', '  padded  \n\n'),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('branch' as const), name: branchArb }) },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('checkout' as const),
      target: fc.oneof(branchArb, fc.constant('HEAD~1')),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('tag' as const),
      name: fc.constantFrom('v1', 'v2', 'rel/1.0'),
      message: fc.option(fc.constantFrom('release', 'notes\n\nmore'), { nil: undefined }),
    }),
  },
);

type Op = typeof opArb extends fc.Arbitrary<infer T> ? T : never;

/** Applies one operation; invalid ones (clashes, conflicts, duplicates) are simply refused. */
function apply(t: TestRepo, step: Op, made: Set<Oid>): void {
  const repo = t.repo;
  try {
    switch (step.op) {
      case 'add':
        repo.add(
          step.path,
          step.content === '' && step.mode === FileMode.Symlink ? 'target' : step.content,
          step.mode,
        );
        break;
      case 'write':
        repo.write(step.path, step.content);
        break;
      case 'remove':
        repo.remove(step.path);
        break;
      case 'move':
        repo.move(step.from, step.to);
        break;
      case 'commit': {
        t.clock.tick();
        const { oid } = repo.commit({ message: step.message, author: TEST_AUTHOR });
        made.add(oid);
        break;
      }
      case 'branch':
        repo.createBranch(step.name);
        break;
      case 'checkout':
        t.clock.tick();
        repo.checkout(step.target);
        break;
      case 'tag':
        t.clock.tick();
        repo.createTag(
          step.name,
          'HEAD',
          step.message === undefined ? {} : { message: step.message, tagger: TEST_AUTHOR },
        );
        break;
    }
  } catch (error) {
    if (!(error instanceof Error) || !('code' in error)) throw error;
  }
}

/** Writes every object, ref and reflog of `repo` into the bare repository at `dir`. */
function exportTo(repo: Repository, dir: string): void {
  for (const oid of repo.odb.store.oids()) {
    const object = repo.odb.store.get(oid)!;
    const file = join(dir, looseObjectPath(oid));
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, encodeLooseObject(object.type, object.body));
  }
  const updates = repo.refs
    .list('refs/')
    .map((ref) => (ref.kind === 'direct' ? `update ${ref.name} ${ref.oid}\n` : ''))
    .join('');
  if (updates !== '') git(['update-ref', '--stdin'], { cwd: dir, input: updates });
  const head = repo.refs.read('HEAD');
  if (head?.kind === 'symbolic') git(['symbolic-ref', 'HEAD', head.target], { cwd: dir });
  else if (head?.kind === 'direct')
    git(['update-ref', '--no-deref', 'HEAD', head.oid], { cwd: dir });
  for (const name of ['HEAD', ...repo.refs.list('refs/heads/').map((r) => r.name)]) {
    const entries = repo.refs.reflog(name);
    const file = join(dir, 'logs', name);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(
      file,
      entries
        .map((e) => `${e.oldOid} ${e.newOid} ${formatSignature(e.committer)}\t${e.message}\n`)
        .join(''),
    );
  }
}

function lsTree(dir: string, commit: Oid): string[] {
  const out = git(['ls-tree', '-r', '-z', '--full-tree', commit], { cwd: dir });
  return out
    .split('\0')
    .filter((record) => record !== '')
    .map((record) => {
      const [meta, path] = record.split('\t') as [string, string];
      const [mode, , oid] = meta.split(' ');
      return `${mode} ${oid} ${path}`;
    })
    .sort();
}

describeWithGit('Repository interop with git', () => {
  it('produces repositories git accepts and reads exactly as the engine does (property)', () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 5, maxLength: 40 }), (ops) => {
        const t = TestRepo.create();
        const made = new Set<Oid>();
        // A first commit with every kind of entry, so each run has history to compare.
        const seed: Op[] = [
          { op: 'add', path: 'README.md', content: 'hello\n', mode: FileMode.Regular },
          { op: 'add', path: 'bin/run.sh', content: '#!/bin/sh\n', mode: FileMode.Executable },
          { op: 'add', path: 'docs/link', content: '../README.md', mode: FileMode.Symlink },
          { op: 'add', path: 'é/日本語/x y', content: 'unicode', mode: FileMode.Regular },
          { op: 'commit', message: 'subject' },
        ];
        for (const step of [...seed, ...ops]) apply(t, step, made);
        const repo = t.repo;
        const bare = tempBareRepo();
        try {
          exportTo(repo, bare.path);
          const fsck = gitResult(['fsck', '--strict', '--no-dangling', '--no-progress'], {
            cwd: bare.path,
          });
          const problems = fsck.stderr
            .split('\n')
            .filter((line) => line !== '' && !line.startsWith('notice:'));
          expect({ status: fsck.status, problems, stdout: fsck.stdout }).toEqual({
            status: 0,
            problems: [],
            stdout: '',
          });

          const commits = new Set<Oid>();
          for (const branch of repo.listBranches()) {
            if (branch.commit === null) continue;
            const ours = repo.log({ from: branch.name }).commits;
            ours.forEach((c) => commits.add(c));
            const theirs = git(['log', '--format=%H', `refs/heads/${branch.name}`], {
              cwd: bare.path,
            })
              .split('\n')
              .filter(Boolean);
            expect({ branch: branch.name, log: theirs }).toEqual({
              branch: branch.name,
              log: ours,
            });
            const reflog = git(
              ['reflog', 'show', '--format=%H%x09%gs', `refs/heads/${branch.name}`],
              { cwd: bare.path },
            );
            const expected = [...repo.refs.reflog(`refs/heads/${branch.name}`)]
              .reverse()
              .map((e) => `${e.newOid}\t${e.message}`);
            expect(reflog.split('\n').filter(Boolean)).toEqual(expected);
          }
          const headLog = repo.refs.reflog('HEAD');
          if (headLog.length > 0 && repo.head().oid !== null) {
            const theirs = git(['reflog', 'show', '--format=%H%x09%gs', 'HEAD'], { cwd: bare.path })
              .split('\n')
              .filter(Boolean);
            expect(theirs).toEqual([...headLog].reverse().map((e) => `${e.newOid}\t${e.message}`));
          }

          for (const commit of commits) {
            const ours = repo
              .listTree('', { recursive: true, commit })
              .map((e) => `${e.mode} ${e.oid} ${e.path}`)
              .sort();
            expect({ commit, files: lsTree(bare.path, commit) }).toEqual({ commit, files: ours });
          }

          for (const tag of repo.listTags()) {
            expect(
              git(['rev-parse', `refs/tags/${tag.name}^{commit}`], { cwd: bare.path }).trim(),
            ).toBe(tag.commit);
            expect(
              git(['cat-file', '-t', `refs/tags/${tag.name}`], { cwd: bare.path }).trim(),
            ).toBe(tag.annotated ? 'tag' : 'commit');
          }

          for (const oid of made) {
            const commit = repo.odb.readCommit(oid);
            const date = `@${commit.author.timestamp} ${commit.author.timezone}`;
            // The stored message goes in verbatim on stdin (commit-tree applies no cleanup).
            const args = ['commit-tree', commit.tree, ...commit.parents.flatMap((p) => ['-p', p])];
            const theirs = git(args, {
              cwd: bare.path,
              input: commit.message,
              env: {
                GIT_AUTHOR_NAME: commit.author.name,
                GIT_AUTHOR_EMAIL: commit.author.email,
                GIT_AUTHOR_DATE: date,
                GIT_COMMITTER_NAME: commit.committer.name,
                GIT_COMMITTER_EMAIL: commit.committer.email,
                GIT_COMMITTER_DATE: date,
              },
            }).trim();
            expect(theirs).toBe(oid);
          }
        } finally {
          bare.cleanup();
        }
      }),
      fcParams(15),
    );
  });
});
