import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { ConfigError } from '../../../src/config/config-error';
import {
  DEFAULTS_FILE,
  configSettings,
  loadConfig,
  type LoadConfigOptions,
} from '../../../src/config/config-loader';
import { ENV_ALIASES, envNameOf } from '../../../src/config/govc-compat';

describe('loadConfig', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'govc-config-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function file(name: string, yaml: string): string {
    const target = path.join(dir, name);
    writeFileSync(target, yaml);
    return target;
  }

  function load(options: LoadConfigOptions = {}) {
    return loadConfig({ env: {}, argv: [], cwd: dir, ...options });
  }

  function failure(options: LoadConfigOptions): ConfigError {
    try {
      load(options);
    } catch (error) {
      if (error instanceof ConfigError) return error;
      throw error;
    }
    throw new Error('expected a ConfigError');
  }

  describe('sources and precedence', () => {
    it('uses the built-in defaults when nothing else is given', () => {
      const { config } = load({ defaultsFile: null });
      expect(config.server.port).toBe(8080);
      expect(config.server.request_timeout).toBe(25_000);
      expect(config.server.max_request_size).toBe(10 * 2 ** 20);
      expect(config.storage.driver).toBe('disk');
      expect(config.storage.path).toBe('./data');
    });

    it('reads config/default.yaml with exactly the built-in defaults', () => {
      const fromFile = load().config;
      const builtIn = load({ defaultsFile: null }).config;
      expect(fromFile).toEqual(builtIn);
    });

    it('lists every key of the schema in config/default.yaml', () => {
      const document: unknown = parse(readFileSync(DEFAULTS_FILE, 'utf8'));
      const keys: string[] = [];
      const walk = (node: unknown, prefix: string): void => {
        for (const [name, value] of Object.entries(node as Record<string, unknown>)) {
          const key = prefix === '' ? name : `${prefix}.${name}`;
          if (typeof value === 'object' && value !== null && !Array.isArray(value))
            walk(value, key);
          else keys.push(key);
        }
      };
      walk(document, '');
      expect(keys.sort()).toEqual(
        configSettings()
          .map((setting) => setting.key)
          .sort(),
      );
    });

    it('lets the config file override default.yaml and the environment override both', () => {
      const custom = file(
        'custom.yaml',
        'server:\n  port: 9000\n  request_timeout: 5s\nlogging:\n  level: debug\n',
      );
      const { config } = load({ env: { GOVC_CONFIG: custom, GOVC_SERVER_PORT: '9100' } });
      expect(config.server.port).toBe(9100);
      expect(config.server.request_timeout).toBe(5_000);
      expect(config.logging.level).toBe('debug');
      expect(config.server.host).toBe('0.0.0.0');
    });

    it('prefers --config over GOVC_CONFIG', () => {
      const viaArgument = file('a.yaml', 'server:\n  port: 9001\n');
      const viaEnv = file('b.yaml', 'server:\n  port: 9002\n');
      expect(
        load({ argv: ['--config', viaArgument], env: { GOVC_CONFIG: viaEnv } }).config.server.port,
      ).toBe(9001);
      expect(load({ argv: [`--config=${viaArgument}`] }).config.server.port).toBe(9001);
      expect(load({ env: { GOVC_CONFIG: viaEnv } }).config.server.port).toBe(9002);
    });

    it('resolves a relative --config path against the working directory', () => {
      file('relative.yaml', 'server:\n  port: 9003\n');
      expect(load({ argv: ['--config', 'relative.yaml'] }).config.server.port).toBe(9003);
    });
  });

  describe('environment', () => {
    it('maps every key to GOVC_<SECTION>_<KEY> and parses its type', () => {
      const { config } = load({
        env: {
          GOVC_SERVER_MAX_REQUEST_SIZE: '1MiB',
          GOVC_SERVER_SHUTDOWN_TIMEOUT: '1h30m',
          GOVC_AUTH_ENABLED: 'no',
          GOVC_AUTH_JWT_ISSUER: 'issuer-x',
          GOVC_HOOKS_ALLOWED_HOSTS: 'a.example, b.example,',
          GOVC_HOOKS_ALLOW_PRIVATE_TARGETS: '1',
          GOVC_SEARCH_SQL_MAX_ROWS: '50',
          GOVC_STORAGE_DISK_JOURNAL_MAX_SIZE: '64MB',
        },
      });
      expect(config.server.max_request_size).toBe(2 ** 20);
      expect(config.server.shutdown_timeout).toBe(5_400_000);
      expect(config.auth.enabled).toBe(false);
      expect(config.auth.jwt.issuer).toBe('issuer-x');
      expect(config.hooks.allowed_hosts).toEqual(['a.example', 'b.example']);
      expect(config.hooks.allow_private_targets).toBe(true);
      expect(config.search.sql.max_rows).toBe(50);
      expect(config.storage.disk.journal_max_size).toBe(64_000_000);
    });

    it('accepts PORT and govc names below the canonical names', () => {
      expect(load({ env: { PORT: '7000' } }).config.server.port).toBe(7000);
      expect(load({ env: { PORT: '7000', GOVC_PORT: '7001' } }).config.server.port).toBe(7001);
      expect(
        load({ env: { GOVC_PORT: '7001', GOVC_SERVER_PORT: '7002' } }).config.server.port,
      ).toBe(7002);
      const { config } = load({
        env: {
          GOVC_LOG_LEVEL: 'WARN',
          GOVC_STORAGE_TYPE: 'hybrid',
          GOVC_STORAGE_DISK_PATH: '/srv/govc',
        },
      });
      expect(config.logging.level).toBe('warn');
      expect(config.storage.driver).toBe('disk');
      expect(config.storage.path).toBe('/srv/govc');
    });

    it('gives every key its own env name, and no alias names another key', () => {
      const keyByName = new Map(
        configSettings().map((setting) => [envNameOf(setting.key), setting.key]),
      );
      expect(keyByName.size).toBe(configSettings().length);
      for (const [name, alias] of ENV_ALIASES) {
        expect(keyByName.get(name) ?? alias.key).toBe(alias.key);
      }
    });

    it('ignores GOVC_ names of other tools but refuses unknown names inside our sections', () => {
      expect(
        load({ env: { GOVC_URL: 'https://vcenter', GOVC_USERNAME: 'x' } }).config.server.port,
      ).toBe(8080);
      expect(failure({ env: { GOVC_SERVER_PROT: '1' } }).message).toBe(
        'config error: GOVC_SERVER_PROT: unknown configuration key (from the environment)',
      );
    });
  });

  describe('YAML files', () => {
    it('expands ${VAR} and ${VAR:-default} in values', () => {
      const custom = file(
        'vars.yaml',
        'storage:\n  path: "${DATA_DIR:-/var/lib/govc}"\n  postgres_url: "postgres://${DB_HOST}/govc"\nauth:\n  admin_password: "pa$$word-long-enough"\n',
      );
      const unset = load({ argv: ['--config', custom] }).config;
      expect(unset.storage.path).toBe('/var/lib/govc');
      expect(unset.storage.postgres_url).toBe('postgres:///govc');
      expect(unset.auth.admin_password).toBe('pa$word-long-enough');
      const set = load({
        argv: ['--config', custom],
        env: { DATA_DIR: '/data', DB_HOST: 'db' },
      }).config;
      expect(set.storage.path).toBe('/data');
      expect(set.storage.postgres_url).toBe('postgres://db/govc');
    });

    it('expands variables into numbers that are then parsed', () => {
      const custom = file('port.yaml', 'server:\n  port: "${APP_PORT:-8181}"\n');
      expect(load({ argv: ['--config', custom] }).config.server.port).toBe(8181);
      expect(
        load({ argv: ['--config', custom], env: { APP_PORT: '8282' } }).config.server.port,
      ).toBe(8282);
    });

    it('accepts govc keys as aliases, below the canonical key of the same file', () => {
      const aliased = file(
        'govc.yaml',
        'storage:\n  type: memory\n  disk_path: /srv\ndevelopment:\n  cors_enabled: true\n',
      );
      const config = load({ argv: ['--config', aliased] }).config;
      expect(config.storage.driver).toBe('memory');
      expect(config.storage.path).toBe('/srv');
      expect(config.server.cors.enabled).toBe(true);
      const both = file('both.yaml', 'storage:\n  type: memory\n  driver: disk\n');
      expect(load({ argv: ['--config', both] }).config.storage.driver).toBe('disk');
    });

    it('accepts govc keys that mean nothing here, with a warning', () => {
      const custom = file(
        'raft.yaml',
        'cluster:\n  election_timeout: 150ms\n  data_dir: /raft\nstorage:\n  cache_size: 100\n',
      );
      const { warnings } = load({
        argv: ['--config', custom],
        env: { GOVC_CLUSTER_SHARD_SIZE: '3' },
      });
      expect(warnings).toEqual([
        expect.stringContaining('cluster.election_timeout has no meaning'),
        expect.stringContaining('cluster.data_dir has no meaning'),
        expect.stringContaining('storage.cache_size has no meaning'),
        expect.stringContaining('GOVC_CLUSTER_SHARD_SIZE has no meaning'),
      ]);
    });

    it('lists as YAML sequences', () => {
      const custom = file('lists.yaml', 'server:\n  trusted_proxies: [10.0.0.0/8, "::1"]\n');
      expect(load({ argv: ['--config', custom] }).config.server.trusted_proxies).toEqual([
        '10.0.0.0/8',
        '::1',
      ]);
    });
  });

  describe('errors: one line naming the key, the reason and the source', () => {
    it('reports a bad env value', () => {
      expect(failure({ env: { GOVC_SERVER_PORT: 'abc' } }).message).toBe(
        'config error: server.port: must be an integer 1–65535 (got "abc" from GOVC_SERVER_PORT)',
      );
    });

    it('reports an out-of-range value from a file', () => {
      const custom = file('bad.yaml', 'server:\n  port: 70000\n');
      expect(failure({ argv: ['--config', custom] }).message).toBe(
        `config error: server.port: must be an integer 1–65535 (got 70000 from ${custom})`,
      );
    });

    it('reports bad durations, sizes, booleans and choices', () => {
      expect(failure({ env: { GOVC_SERVER_REQUEST_TIMEOUT: '10 minutes' } }).message).toBe(
        'config error: server.request_timeout: must be a positive duration such as 500ms, 30s, 5m, 24h or 1h30m (got "10 minutes" from GOVC_SERVER_REQUEST_TIMEOUT)',
      );
      expect(failure({ env: { GOVC_SERVER_MAX_REQUEST_SIZE: '10 lots' } }).message).toContain(
        'server.max_request_size: must be a size such as 512B, 10KB or 10MiB',
      );
      expect(failure({ env: { GOVC_AUTH_ENABLED: 'maybe' } }).message).toContain(
        'auth.enabled: must be a boolean (true/false, 1/0, yes/no) (got "maybe" from GOVC_AUTH_ENABLED)',
      );
      expect(failure({ env: { GOVC_STORAGE_DRIVER: 'mongo' } }).message).toContain(
        'storage.driver: must be one of disk, memory, postgres (got "mongo" from GOVC_STORAGE_DRIVER)',
      );
    });

    it('reports an unknown key with its file', () => {
      const custom = file('typo.yaml', 'server:\n  prot: 1\n');
      expect(failure({ argv: ['--config', custom] }).message).toBe(
        `config error: server.prot: unknown key (from ${custom})`,
      );
    });

    it('reports unreadable and malformed files', () => {
      expect(failure({ argv: ['--config', path.join(dir, 'missing.yaml')] }).message).toContain(
        'cannot read the configuration file (ENOENT) (from --config)',
      );
      const broken = file('broken.yaml', 'server: [\n');
      expect(failure({ argv: ['--config', broken] }).message).toMatch(
        /^config error: .*invalid YAML: [^\n]+$/,
      );
    });

    it('never echoes a secret', () => {
      const error = failure({ env: { GOVC_AUTH_JWT_SECRET: 'short-secret' } });
      expect(error.message).toBe(
        'config error: auth.jwt.secret: must be at least 32 characters when set (got <redacted> from GOVC_AUTH_JWT_SECRET)',
      );
    });

    it('checks rules that span keys', () => {
      expect(failure({ env: { GOVC_STORAGE_DRIVER: 'postgres' } }).message).toBe(
        'config error: storage.postgres_url: is required when storage.driver is postgres (got <redacted> from config/default.yaml)',
      );
      expect(failure({ env: { GOVC_CLUSTER_ENABLED: 'true' } }).message).toContain(
        'cluster.enabled: needs storage.driver postgres',
      );
    });
  });

  it('resolves derived defaults and freezes the result', () => {
    const { config } = load({
      env: { GOVC_STORAGE_PATH: '/srv/govc', GOVC_DEVELOPMENT_DEBUG: 'true' },
    });
    expect(config.backup.path).toBe(path.join('/srv/govc', 'backups'));
    expect(config.cluster.node_id).not.toBe('');
    expect(config.logging.level).toBe('debug');
    expect(Object.isFrozen(config.server)).toBe(true);
    expect(() => {
      (config.server as { port: number }).port = 1;
    }).toThrow(TypeError);
  });
});
