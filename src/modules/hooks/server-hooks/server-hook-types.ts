/**
 * The server-side hook types of api-contract.md §6.6 and what each one is for: the `pre-*`
 * types (and `update`) can refuse the operation they precede, the `post-*` types only observe,
 * `benchmark` scores a parallel reality (§8).
 */
export const SERVER_HOOK_TYPES = [
  'pre-commit',
  'post-commit',
  'pre-push',
  'pre-receive',
  'update',
  'post-receive',
  'post-merge',
  'post-checkout',
  'pre-rebase',
  'benchmark',
] as const;

export type ServerHookType = (typeof SERVER_HOOK_TYPES)[number];

/** The hooks a push runs before any ref moves; a non-zero exit declines refs. */
export type RefUpdateHookType = 'pre-receive' | 'update' | 'pre-push';

export function isServerHookType(value: string): value is ServerHookType {
  return (SERVER_HOOK_TYPES as readonly string[]).includes(value);
}
