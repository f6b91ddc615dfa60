/** The built-in roles of api-contract.md §0.3; they cannot be changed or deleted. */
import type { Permission } from './permissions';

export interface RoleDefinition {
  readonly name: string;
  readonly description: string;
  readonly permissions: readonly string[];
  readonly builtIn: boolean;
}

const role = (name: string, description: string, permissions: Permission[]): RoleDefinition => ({
  name,
  description,
  permissions: [...permissions].sort(),
  builtIn: true,
});

export const BUILT_IN_ROLES: ReadonlyMap<string, RoleDefinition> = new Map(
  [
    role('admin', 'Full access to the server', [
      'system:admin',
      'repo:admin',
      'user:read',
      'user:write',
      'user:delete',
      'webhook:read',
      'webhook:write',
      'webhook:delete',
    ]),
    role('developer', 'Read and write repositories and their webhooks', [
      'repo:read',
      'repo:write',
      'webhook:read',
      'webhook:write',
    ]),
    role('reader', 'Read repositories', ['repo:read']),
    role('guest', 'Read server information', ['system:read']),
  ].map((definition) => [definition.name, definition]),
);
