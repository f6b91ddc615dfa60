/** Line search budgets and the trigram prefilter (src/core/search/content-search.ts). */
import {
  RepositorySearchIndex,
  SearchBudget,
  compileGlob,
  compileMatcher,
  searchLines,
  treeFiles,
} from '../../../src/core';
import { TestRepo } from '../../support/test-repo';

function setup(): { repo: TestRepo; index: RepositorySearchIndex } {
  const repo = TestRepo.create();
  const files: Record<string, string> = {};
  for (let i = 0; i < 50; i++)
    files[`f${String(i).padStart(2, '0')}.txt`] = `plain text ${i}\n`.repeat(20);
  files['target.txt'] = 'one needle here\n';
  repo.commit({ files });
  const index = new RepositorySearchIndex({ maxFileSize: 1 << 20 });
  index.sync(repo.repo);
  return { repo, index };
}

function run(
  { repo, index }: ReturnType<typeof setup>,
  pattern: string,
  maxBytes: number,
  useIndex: boolean,
): { total: number; truncated: boolean } {
  const odb = repo.repo.odb;
  const budget = new SearchBudget({ maxBytes, timeout: 60_000 });
  const result = searchLines(
    odb,
    treeFiles(odb, repo.repo.headTree()),
    compileMatcher({ pattern, maxPatternLength: 1000 }),
    { pathFilter: compileGlob(undefined), offset: 0, limit: 10 },
    budget,
    useIndex ? index.blobIndex : undefined,
  );
  return { total: result.total, truncated: budget.truncated };
}

describe('searchLines', () => {
  it('reads only the blobs holding the trigrams of the pattern when indexed', () => {
    const fixture = setup();
    // 16 bytes: enough for target.txt alone, far from enough for the 50 other files.
    expect(run(fixture, 'needle', 16, true)).toEqual({ total: 1, truncated: false });
    expect(run(fixture, 'needle', 16, false)).toEqual({ total: 0, truncated: true });
  });

  it('stops at the byte budget and says truncated, keeping what it found', () => {
    const fixture = setup();
    // Each of the first files is 260 bytes: three fit in 900, the fourth does not.
    const partial = run(fixture, 'plain', 900, true);
    expect(partial.truncated).toBe(true);
    expect(partial.total).toBe(60);
    expect(run(fixture, 'plain', 1 << 20, true)).toEqual({ total: 1000, truncated: false });
  });

  it('stops at the time budget', () => {
    const fixture = setup();
    let now = 0;
    const budget = new SearchBudget({ maxBytes: 1 << 20, timeout: 5 }, () => (now += 10));
    const odb = fixture.repo.repo.odb;
    const result = searchLines(
      odb,
      treeFiles(odb, fixture.repo.repo.headTree()),
      compileMatcher({ pattern: 'plain', maxPatternLength: 1000 }),
      { pathFilter: compileGlob(undefined), offset: 0, limit: 10 },
      budget,
    );
    expect(budget.truncated).toBe(true);
    expect(result.total).toBe(0);
  });
});
