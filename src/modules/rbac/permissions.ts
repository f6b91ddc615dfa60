/**
 * The permission names of api-contract.md §0.3 and their implication rules: `system:admin`
 * implies everything; in each area `X:admin` implies every `X:*`, and `X:write`/`X:delete`
 * imply `X:read`. Pure functions, shared by the guard, the stores and the controllers.
 */

export const PERMISSIONS = [
  'repo:read',
  'repo:write',
  'repo:delete',
  'repo:admin',
  'system:read',
  'system:write',
  'system:admin',
  'user:read',
  'user:write',
  'user:delete',
  'webhook:read',
  'webhook:write',
  'webhook:delete',
] as const;

export type Permission = (typeof PERMISSIONS)[number];

const KNOWN: ReadonlySet<string> = new Set(PERMISSIONS);

export const SYSTEM_ADMIN: Permission = 'system:admin';

export function isPermission(value: unknown): value is Permission {
  return typeof value === 'string' && KNOWN.has(value);
}

/** Permissions that a per-repository grant may hold (`repo:*`, `webhook:*`). */
export function isRepositoryPermission(value: unknown): value is Permission {
  return isPermission(value) && (value.startsWith('repo:') || value.startsWith('webhook:'));
}

/** Whether holding `held` satisfies `required` by itself (the implication rules). */
export function implies(held: string, required: string): boolean {
  if (held === required || held === SYSTEM_ADMIN) return true;
  const split = held.indexOf(':');
  const area = held.slice(0, split);
  if (area !== required.slice(0, required.indexOf(':'))) return false;
  const level = held.slice(split + 1);
  const wanted = required.slice(split + 1);
  if (level === 'admin') return true;
  return wanted === 'read' && (level === 'write' || level === 'delete');
}

/** Whether any permission of `held` satisfies `required`. */
export function holds(held: Iterable<string> | undefined, required: string): boolean {
  if (held === undefined) return false;
  for (const permission of held) if (implies(permission, required)) return true;
  return false;
}

/** Every known permission `held` implies, sorted: the "effective" list shown to clients. */
export function expand(held: Iterable<string>): Permission[] {
  const list = [...held];
  return PERMISSIONS.filter((permission) => holds(list, permission)).sort();
}

/** Sorted, de-duplicated copy (stored lists keep what was given, in a stable order). */
export function normalizePermissions(list: Iterable<string>): string[] {
  return [...new Set(list)].sort();
}
