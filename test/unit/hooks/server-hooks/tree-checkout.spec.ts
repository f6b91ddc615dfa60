/** Writing a tree as a hook's working directory (tree-checkout.ts). */
import { lstatSync, mkdtempSync, readFileSync, readlinkSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Repository } from '../../../../src/core';
import {
  CheckoutTooLargeError,
  checkoutTree,
} from '../../../../src/modules/hooks/server-hooks/tree-checkout';

const AUTHOR = { name: 'T', email: 't@example.com' };

describe('checkoutTree', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'govc-checkout-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function committed(files: Record<string, [string, string?]>): Repository {
    const repo = new Repository();
    for (const [file, [content, mode]] of Object.entries(files)) repo.add(file, content, mode);
    repo.commit({ message: 'm', author: AUTHOR });
    return repo;
  }

  it('writes files, executables, nested directories and symlinks', async () => {
    const repo = committed({
      'a.txt': ['one\n'],
      'bin/run.sh': ['#!/bin/sh\n', '100755'],
      'deep/er/x': ['x'],
      link: ['a.txt', '120000'],
    });
    await checkoutTree(repo.odb, repo.headTree(), dir, { maxFiles: 10, maxBytes: 1000 });
    expect(readdirSync(dir).sort()).toEqual(['a.txt', 'bin', 'deep', 'link']);
    expect(readFileSync(path.join(dir, 'a.txt'), 'utf8')).toBe('one\n');
    expect(lstatSync(path.join(dir, 'bin/run.sh')).mode & 0o777).toBe(0o755);
    expect(lstatSync(path.join(dir, 'a.txt')).mode & 0o111).toBe(0);
    expect(readFileSync(path.join(dir, 'deep/er/x'), 'utf8')).toBe('x');
    expect(readlinkSync(path.join(dir, 'link'))).toBe('a.txt');
  });

  it('refuses a tree past the file or byte limit before writing anything', async () => {
    const repo = committed({ 'a.txt': ['12345'], 'b.txt': ['67890'] });
    await expect(
      checkoutTree(repo.odb, repo.headTree(), dir, { maxFiles: 1, maxBytes: 1000 }),
    ).rejects.toBeInstanceOf(CheckoutTooLargeError);
    await expect(
      checkoutTree(repo.odb, repo.headTree(), dir, { maxFiles: 10, maxBytes: 9 }),
    ).rejects.toBeInstanceOf(CheckoutTooLargeError);
    expect(readdirSync(dir)).toEqual([]);
  });
});
