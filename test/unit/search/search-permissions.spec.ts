/** Every search route declares the permission the auth guard enforces (api-contract.md §5). */
import { ENDPOINT_PERMISSION } from '../../../src/http/endpoint.decorator';
import { SearchController } from '../../../src/modules/search/search.controller';

describe('search route permissions', () => {
  const handlers = Object.getOwnPropertyNames(SearchController.prototype).filter(
    (name) => name !== 'constructor',
  );

  it('reads need repo:read, rebuild repo:write', () => {
    const declared = Object.fromEntries(
      handlers.map((name) => [
        name,
        Reflect.getMetadata(
          ENDPOINT_PERMISSION,
          (SearchController.prototype as unknown as Record<string, object>)[name] as object,
        ) as unknown,
      ]),
    );
    expect(declared).toEqual({
      commits: 'repo:read',
      content: 'repo:read',
      files: 'repo:read',
      grep: 'repo:read',
      fulltext: 'repo:read',
      sql: 'repo:read',
      aggregate: 'repo:read',
      statistics: 'repo:read',
      suggestions: 'repo:read',
      rebuild: 'repo:write',
    });
  });
});
