/**
 * RefChange.detach on the memory store: replacing a symbolic HEAD by a direct ref is a
 * compare-and-swap against the id HEAD resolves to (checkout of a revision relies on it).
 */
import { MemoryRefStore } from '../../../../src/core/storage/memory/memory-ref-store';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);

function store(): MemoryRefStore {
  const refs = new MemoryRefStore();
  refs.update({ name: 'refs/heads/main', expect: null, next: A });
  refs.setSymbolic('HEAD', 'refs/heads/main');
  return refs;
}

describe('MemoryRefStore detach', () => {
  it('replaces a symbolic ref by a direct one when the resolved id matches', () => {
    const refs = store();
    expect(refs.update({ name: 'HEAD', expect: A, next: B, detach: true })).toEqual({
      status: 'ok',
      previous: null,
    });
    expect(refs.read('HEAD')).toEqual({ name: 'HEAD', kind: 'direct', oid: B });
    expect(refs.read('refs/heads/main')).toEqual({
      name: 'refs/heads/main',
      kind: 'direct',
      oid: A,
    });
  });

  it('detaches even when the id does not change', () => {
    const refs = store();
    expect(refs.update({ name: 'HEAD', expect: A, next: A, detach: true }).status).toBe('ok');
    expect(refs.read('HEAD')).toMatchObject({ kind: 'direct', oid: A });
  });

  it('is a lock failure when the resolved id differs from the expectation, or without the flag', () => {
    const refs = store();
    expect(refs.update({ name: 'HEAD', expect: B, next: B, detach: true })).toEqual({
      status: 'lock-failure',
      current: A,
    });
    expect(refs.update({ name: 'HEAD', expect: A, next: B })).toEqual({
      status: 'lock-failure',
      current: null,
    });
    expect(refs.read('HEAD')).toMatchObject({ kind: 'symbolic' });
  });
});
