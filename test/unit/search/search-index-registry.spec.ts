/** The per-repository index registry of the search module (bounded, event-driven). */
import { Repository } from '../../../src/core';
import { SearchConfig } from '../../../src/config/config.schema';
import { RepositoryEventBus } from '../../../src/modules/hooks/repository-event-bus';
import {
  MAX_INDEXES,
  SearchIndexRegistry,
} from '../../../src/modules/search/search-index.registry';

function setup(): { registry: SearchIndexRegistry; bus: RepositoryEventBus } {
  const bus = new RepositoryEventBus();
  return { registry: new SearchIndexRegistry(new SearchConfig(), bus), bus };
}

describe('SearchIndexRegistry', () => {
  it('keeps one index per repository and drops the least recently used past the cap', () => {
    const { registry } = setup();
    const repositories = Array.from({ length: MAX_INDEXES + 1 }, () => new Repository());
    const first = registry.current('r0', repositories[0] as Repository);
    expect(registry.current('r0', repositories[0] as Repository)).toBe(first);
    for (let i = 1; i <= MAX_INDEXES; i++) registry.current(`r${i}`, repositories[i] as Repository);
    expect(registry.current('r0', repositories[0] as Repository)).not.toBe(first);
    registry.onModuleDestroy();
  });

  it('starts over when the id names another repository, or on a repository event', () => {
    const { registry, bus } = setup();
    const repository = new Repository();
    const index = registry.current('r', repository);
    expect(registry.current('r', new Repository())).not.toBe(index);
    const replaced = registry.current('r', repository);
    bus.publish({
      repository: 'r',
      event: 'repository',
      data: { action: 'deleted' },
      sender: null,
    });
    expect(registry.current('r', repository)).not.toBe(replaced);
    registry.onModuleDestroy();
  });

  it('marks a built index stale on a commit event and syncs it right after', async () => {
    const { registry, bus } = setup();
    const repository = new Repository();
    const index = registry.synced('r', repository);
    repository.add('a.txt', 'hello\n');
    repository.commit({ message: 'one', author: { name: 'A', email: 'a@x.io' } });
    bus.publish({ repository: 'r', event: 'commit', data: {}, sender: null });
    expect(index.status(repository).stale).toBe(true);
    await new Promise((resolve) => setImmediate(resolve));
    expect(index.status(repository)).toMatchObject({
      stale: false,
      commit: repository.head().oid,
      documents: 1,
    });
    registry.onModuleDestroy();
  });
});
