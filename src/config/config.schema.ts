/**
 * The typed configuration (api-contract.md §13). Each section is a class whose property
 * initializers are the built-in defaults and whose decorators say how raw values are read and
 * validated. Durations are milliseconds, sizes bytes. Modules inject the section they need
 * (e.g. `ServerConfig`); the whole tree is `GovcConfig`. config/default.yaml repeats every default
 * so that operators see them; a unit test keeps the two equal.
 */
import { isIP } from 'node:net';
import type { Milliseconds } from './duration';
import type { Bytes } from './size';
import {
  BooleanSetting,
  ChoiceSetting,
  DurationSetting,
  IntegerSetting,
  ListSetting,
  Section,
  SizeSetting,
  StringSetting,
} from './setting.decorators';

function isIpOrCidr(value: string): boolean {
  const [address = '', prefix, ...rest] = value.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  const bits = Number(prefix);
  return /^\d+$/.test(prefix) && bits <= (family === 4 ? 32 : 128);
}

export class CorsConfig {
  @BooleanSetting() enabled = false;
  @ListSetting() allowed_origins: string[] = ['http://localhost:3000'];
}

export class ServerConfig {
  @StringSetting({ required: true }) host = '0.0.0.0';
  @IntegerSetting(1, 65535) port = 8080;
  @DurationSetting({ positive: true }) read_timeout: Milliseconds = 30_000;
  @DurationSetting() write_timeout: Milliseconds = 30_000;
  @DurationSetting({ positive: true }) idle_timeout: Milliseconds = 60_000;
  @DurationSetting({ positive: true }) request_timeout: Milliseconds = 25_000;
  @DurationSetting({ positive: true }) shutdown_timeout: Milliseconds = 10_000;
  @SizeSetting() max_request_size: Bytes = 10 * 2 ** 20;
  @IntegerSetting(1) max_repos = 1000;
  @ListSetting({ accepts: isIpOrCidr, description: 'IP addresses or CIDRs' })
  trusted_proxies: string[] = [];
  @StringSetting({ url: true, optional: true }) base_url = '';
  @Section(() => CorsConfig) cors = new CorsConfig();
}

export class DiskStorageConfig {
  @DurationSetting({ positive: true }) checkpoint_interval: Milliseconds = 5 * 60_000;
  @SizeSetting() journal_max_size: Bytes = 256 * 2 ** 20;
}

export const STORAGE_DRIVERS = ['disk', 'memory', 'postgres'] as const;
export type StorageDriver = (typeof STORAGE_DRIVERS)[number];

export class StorageConfig {
  @ChoiceSetting(STORAGE_DRIVERS) driver: StorageDriver = 'disk';
  @StringSetting({ required: true }) path = './data';
  @StringSetting({ secret: true }) postgres_url = '';
  @IntegerSetting(1, 1000) postgres_pool_size = 10;
  @DurationSetting({ positive: true }) postgres_statement_timeout: Milliseconds = 5_000;
  @Section(() => DiskStorageConfig) disk = new DiskStorageConfig();
}

export class JwtConfig {
  @StringSetting({ secret: true, minLengthIfSet: 32 }) secret = '';
  @StringSetting({ required: true }) issuer = 'govc-server';
  @StringSetting({ required: true }) audience = 'govc-api';
  @DurationSetting({ positive: true }) ttl: Milliseconds = 24 * 3_600_000;
}

export class LoginConfig {
  @IntegerSetting(1) max_attempts = 5;
  @DurationSetting() lockout: Milliseconds = 15 * 60_000;
}

export class AuthConfig {
  @BooleanSetting() enabled = true;
  @Section(() => JwtConfig) jwt = new JwtConfig();
  @Section(() => LoginConfig) login = new LoginConfig();
  @BooleanSetting() bootstrap_admin = true;
  @StringSetting({ secret: true }) admin_password = '';
}

export class PoolConfig {
  @IntegerSetting(1) max_repositories = 1000;
  @DurationSetting({ positive: true }) max_idle_time: Milliseconds = 30 * 60_000;
  @DurationSetting({ positive: true }) cleanup_interval: Milliseconds = 5 * 60_000;
  @BooleanSetting() enable_metrics = true;
  @SizeSetting() max_memory: Bytes = 0;
}

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'fatal'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export class LoggingConfig {
  @ChoiceSetting(LOG_LEVELS) level: LogLevel = 'info';
  @ChoiceSetting(['json', 'text']) format: 'json' | 'text' = 'json';
  /** `stdout`, `stderr` or a file path. */
  @StringSetting({ required: true }) output = 'stdout';
}

export class MetricsConfig {
  @BooleanSetting() enabled = true;
  @StringSetting({ secret: true }) token = '';
  @BooleanSetting() default_metrics = true;
}

export class DocsConfig {
  @BooleanSetting() enabled = true;
}

export class AlertsConfig {
  @IntegerSetting(1, 100) memory_percent = 90;
  @IntegerSetting(1, 100) repositories_percent = 80;
  @DurationSetting({ positive: true }) event_loop_lag: Milliseconds = 200;
  @DurationSetting() event_loop_lag_window: Milliseconds = 60_000;
  @IntegerSetting(0, 100) error_rate_percent = 5;
}

export class MonitoringConfig {
  @BooleanSetting() public = false;
  @DurationSetting({ positive: true }) interval: Milliseconds = 10_000;
  @DurationSetting({ positive: true }) history_interval: Milliseconds = 60_000;
  @IntegerSetting(1) history_size = 1000;
  @Section(() => AlertsConfig) alerts = new AlertsConfig();
}

export class HealthConfig {
  @IntegerSetting(1, 100) memory_limit_percent = 90;
}

export class ServerHooksConfig {
  @BooleanSetting() enabled = true;
  @StringSetting({ required: true }) shell = '/bin/sh';
  @DurationSetting({ positive: true }) default_timeout: Milliseconds = 30_000;
  @DurationSetting({ positive: true }) max_timeout: Milliseconds = 5 * 60_000;
  @SizeSetting() max_output: Bytes = 2 ** 20;
  @IntegerSetting(1) max_concurrent = 4;
}

export class HooksConfig {
  @BooleanSetting() allow_private_targets = false;
  @ListSetting() allowed_hosts: string[] = [];
  @DurationSetting({ positive: true }) timeout: Milliseconds = 10_000;
  @IntegerSetting(1) max_attempts = 5;
  @DurationSetting({ positive: true }) backoff_base: Milliseconds = 10_000;
  @DurationSetting({ positive: true }) backoff_max: Milliseconds = 10 * 60_000;
  @IntegerSetting(1) queue_size = 10_000;
  @IntegerSetting(0) delivery_retention = 100;
  @IntegerSetting(1) max_per_repo = 20;
  @StringSetting({ required: true }) user_agent = 'govc-webhook/1.0';
  @Section(() => ServerHooksConfig) server_hooks = new ServerHooksConfig();
}

export class EventsConfig {
  @DurationSetting({ positive: true }) heartbeat_interval: Milliseconds = 15_000;
  @IntegerSetting(0) replay_buffer = 1000;
  @DurationSetting() replay_window: Milliseconds = 10 * 60_000;
  @SizeSetting() client_buffer: Bytes = 2 ** 20;
  @IntegerSetting(1) max_connections = 10_000;
}

export class SearchIndexConfig {
  @SizeSetting() max_file_size: Bytes = 2 ** 20;
}

export class SearchSqlConfig {
  @IntegerSetting(1) max_rows = 10_000;
  @DurationSetting({ positive: true }) timeout: Milliseconds = 5_000;
}

export class SearchConfig {
  @IntegerSetting(1) max_pattern_length = 1000;
  @SizeSetting() max_bytes: Bytes = 64 * 2 ** 20;
  @DurationSetting({ positive: true }) timeout: Milliseconds = 5_000;
  @IntegerSetting(1) max_results = 1000;
  @Section(() => SearchIndexConfig) index = new SearchIndexConfig();
  @Section(() => SearchSqlConfig) sql = new SearchSqlConfig();
}

export class TransactionsConfig {
  @DurationSetting({ positive: true }) idle_timeout: Milliseconds = 10 * 60_000;
  @DurationSetting({ positive: true }) max_lifetime: Milliseconds = 3_600_000;
  @IntegerSetting(1) max_open_per_repo = 100;
  @SizeSetting() max_size: Bytes = 100 * 2 ** 20;
  @IntegerSetting(1) max_files = 10_000;
}

export class RealitiesConfig {
  @IntegerSetting(1) max_per_request = 1000;
  /** 0 keeps realities until deleted. */
  @DurationSetting() ttl: Milliseconds = 0;
}

export class GitConfig {
  @BooleanSetting() http_enabled = true;
  @SizeSetting() max_push_size: Bytes = 2 ** 30;
  @SizeSetting() max_object_size: Bytes = 100 * 2 ** 20;
  @IntegerSetting(1, 100_000) max_delta_depth = 4095;
  @BooleanSetting() deny_non_fast_forwards = false;
}

export class ImportConfig {
  @SizeSetting() max_upload_size: Bytes = 2 * 2 ** 30;
  @ListSetting() allowed_paths: string[] = [];
  @BooleanSetting() allow_http = false;
}

export class JobsConfig {
  @IntegerSetting(1) max_concurrent = 2;
  @DurationSetting() retention: Milliseconds = 7 * 86_400_000;
}

export class BackupConfig {
  /** Empty means `<storage.path>/backups` (resolved at load). */
  @StringSetting() path = '';
}

export class MigrationConfig {
  @StringSetting({ url: true }) github_api_url = 'https://api.github.com';
  @StringSetting({ url: true }) gitlab_api_url = 'https://gitlab.com/api/v4';
}

export class ClusterConfig {
  @BooleanSetting() enabled = false;
  @StringSetting({ required: true }) id = 'govc-cluster-1';
  @StringSetting({ required: true }) name = 'GoVC Cluster';
  /** Empty means the host name (resolved at load). */
  @StringSetting() node_id = '';
  @StringSetting({ url: true, optional: true }) advertise_address = '';
  @StringSetting({ secret: true, minLengthIfSet: 32 }) secret = '';
  @DurationSetting({ positive: true }) heartbeat_interval: Milliseconds = 1_000;
  @DurationSetting({ positive: true }) failover_timeout: Milliseconds = 30_000;
  @IntegerSetting(1, 65536) shard_count = 256;
  @IntegerSetting(1, 4096) virtual_nodes = 128;
  @IntegerSetting(1) replication_factor = 3;
  @BooleanSetting() auto_failover_enabled = true;
  @BooleanSetting() auto_rebalance = true;
  @IntegerSetting(0) max_failovers_per_minute = 5;
  @DurationSetting() cooldown_period: Milliseconds = 5 * 60_000;
  @IntegerSetting(1) min_healthy_nodes = 1;
  @BooleanSetting() require_quorum = false;
  @BooleanSetting() prevent_split_brain = true;
  @ChoiceSetting(['eventual', 'strong']) consistency_level: 'eventual' | 'strong' = 'eventual';
  @DurationSetting({ positive: true }) forward_timeout: Milliseconds = 10_000;
}

export class AiConfig {
  @BooleanSetting() enabled = true;
  @ChoiceSetting(['local', 'openai']) provider: 'local' | 'openai' = 'local';
  @StringSetting({ url: true }) base_url = 'https://api.openai.com/v1';
  @StringSetting({ secret: true }) api_key = '';
  @StringSetting({ required: true }) model = 'gpt-4o-mini';
  @StringSetting({ required: true }) embedding_model = 'text-embedding-3-small';
  @DurationSetting({ positive: true }) timeout: Milliseconds = 30_000;
  @IntegerSetting(1, 65536) dimensions = 512;
  @SizeSetting() max_file_size: Bytes = 256 * 2 ** 10;
  @BooleanSetting() auto_index = false;
}

export class AuditConfig {
  @BooleanSetting() enabled = true;
  @DurationSetting() retention: Milliseconds = 90 * 86_400_000;
}

export class DevelopmentConfig {
  /** Forces debug logging. */
  @BooleanSetting() debug = false;
}

/** The whole configuration, validated once at start and frozen. */
export class GovcConfig {
  @Section(() => ServerConfig) server = new ServerConfig();
  @Section(() => StorageConfig) storage = new StorageConfig();
  @Section(() => AuthConfig) auth = new AuthConfig();
  @Section(() => PoolConfig) pool = new PoolConfig();
  @Section(() => LoggingConfig) logging = new LoggingConfig();
  @Section(() => MetricsConfig) metrics = new MetricsConfig();
  @Section(() => DocsConfig) docs = new DocsConfig();
  @Section(() => MonitoringConfig) monitoring = new MonitoringConfig();
  @Section(() => HealthConfig) health = new HealthConfig();
  @Section(() => HooksConfig) hooks = new HooksConfig();
  @Section(() => EventsConfig) events = new EventsConfig();
  @Section(() => SearchConfig) search = new SearchConfig();
  @Section(() => TransactionsConfig) transactions = new TransactionsConfig();
  @Section(() => RealitiesConfig) realities = new RealitiesConfig();
  @Section(() => GitConfig) git = new GitConfig();
  @Section(() => ImportConfig) import = new ImportConfig();
  @Section(() => JobsConfig) jobs = new JobsConfig();
  @Section(() => BackupConfig) backup = new BackupConfig();
  @Section(() => MigrationConfig) migration = new MigrationConfig();
  @Section(() => ClusterConfig) cluster = new ClusterConfig();
  @Section(() => AiConfig) ai = new AiConfig();
  @Section(() => AuditConfig) audit = new AuditConfig();
  @Section(() => DevelopmentConfig) development = new DevelopmentConfig();
}
