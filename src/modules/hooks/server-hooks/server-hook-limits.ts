/**
 * Fixed limits of server hooks that the configuration does not name (api-contract.md §6.6 gives
 * the script's 64 KiB; the rest keep one hook from filling the disk or the request body).
 */
export const MAX_SCRIPT_BYTES = 64 * 1024;
/** stdin an execute request may hand the script. */
export const MAX_STDIN_BYTES = 1024 * 1024;
/** A hook's working directory is a checkout; past these it is refused (HOOK_EXECUTION_FAILED). */
export const CHECKOUT_LIMITS = { maxFiles: 100_000, maxBytes: 512 * 1024 * 1024 } as const;
