/**
 * What govc deployments already set: its env names and YAML keys that map onto ours (always
 * weaker than the canonical name in the same source), and its keys that mean nothing here and are
 * accepted with a warning (api-contract.md §13).
 */

export interface KeyAlias {
  /** The canonical dotted key the alias sets. */
  readonly key: string;
  /** Turns the govc value into ours before the usual coercion. */
  readonly translate?: (raw: unknown) => unknown;
}

/** govc's `storage.type` had `hybrid` (memory in front of disk), which is what `disk` is here. */
function storageTypeToDriver(raw: unknown): unknown {
  return typeof raw === 'string' && raw.trim().toLowerCase() === 'hybrid' ? 'disk' : raw;
}

/** Env aliases in priority order: for one key, an earlier name beats a later one. */
export const ENV_ALIASES: ReadonlyArray<readonly [name: string, alias: KeyAlias]> = [
  ['GOVC_HOST', { key: 'server.host' }],
  ['GOVC_PORT', { key: 'server.port' }],
  ['PORT', { key: 'server.port' }],
  ['GOVC_JWT_SECRET', { key: 'auth.jwt.secret' }],
  ['GOVC_JWT_ISSUER', { key: 'auth.jwt.issuer' }],
  ['GOVC_JWT_TTL', { key: 'auth.jwt.ttl' }],
  ['GOVC_MAX_REPOS', { key: 'server.max_repos' }],
  ['GOVC_LOG_LEVEL', { key: 'logging.level' }],
  ['GOVC_LOG_FORMAT', { key: 'logging.format' }],
  ['GOVC_METRICS_ENABLED', { key: 'metrics.enabled' }],
  ['GOVC_STORAGE_TYPE', { key: 'storage.driver', translate: storageTypeToDriver }],
  ['GOVC_STORAGE_DISK_PATH', { key: 'storage.path' }],
  ['GOVC_POOL_MAX_REPOS', { key: 'pool.max_repositories' }],
  ['GOVC_POOL_IDLE_TIME', { key: 'pool.max_idle_time' }],
  ['GOVC_CORS_ENABLED', { key: 'server.cors.enabled' }],
  ['GOVC_DEBUG', { key: 'development.debug' }],
];

/** govc YAML keys (dotted) and the canonical key each one sets. */
export const YAML_ALIASES: ReadonlyMap<string, KeyAlias> = new Map([
  ['storage.type', { key: 'storage.driver', translate: storageTypeToDriver }],
  ['storage.disk_path', { key: 'storage.path' }],
  ['development.cors_enabled', { key: 'server.cors.enabled' }],
  ['development.allowed_origins', { key: 'server.cors.allowed_origins' }],
]);

const MEANINGLESS_KEYS = new Set([
  'development.use_new_architecture',
  'development.profiler_enabled',
  'cluster.election_timeout',
  'cluster.max_log_entries',
  'cluster.snapshot_threshold',
  'cluster.data_dir',
  'cluster.shard_size',
]);
const MEANINGLESS_PREFIXES = ['storage.cache_'];
const MEANINGLESS_ENV_NAMES = new Set([...MEANINGLESS_KEYS].map(envNameOf));

/** True for govc keys (Raft, caches, profiler) that have no meaning in govc-ts. */
export function isMeaninglessGovcKey(key: string): boolean {
  return MEANINGLESS_KEYS.has(key) || MEANINGLESS_PREFIXES.some((prefix) => key.startsWith(prefix));
}

/** The same test for an env name such as `GOVC_CLUSTER_DATA_DIR`. */
export function isMeaninglessGovcEnvName(name: string): boolean {
  return (
    MEANINGLESS_ENV_NAMES.has(name) ||
    MEANINGLESS_PREFIXES.some((prefix) => name.startsWith(envNameOf(prefix)))
  );
}

/** `auth.jwt.secret` → `GOVC_AUTH_JWT_SECRET`. */
export function envNameOf(key: string): string {
  return `GOVC_${key.toUpperCase().replace(/\./g, '_')}`;
}
