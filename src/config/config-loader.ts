/**
 * Builds the validated, frozen GovcConfig from its sources, later ones winning:
 * built-in defaults < config/default.yaml < the file named by `--config` or GOVC_CONFIG < env
 * (`GOVC_<SECTION>_<KEY>`, then govc's alias names). A plain function, so tests and scripts use it
 * without Nest. Any problem throws a ConfigError whose message is the single line to print.
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import * as path from 'node:path';
import { validateSync, type ValidationError } from 'class-validator';
import { parseDocument } from 'yaml';
import { ConfigError } from './config-error';
import { GovcConfig } from './config.schema';
import {
  ENV_ALIASES,
  YAML_ALIASES,
  envNameOf,
  isMeaninglessGovcEnvName,
  isMeaninglessGovcKey,
} from './govc-compat';
import { configFields, type SectionClass, type SettingSpec } from './setting.decorators';
import { expandVariables } from './variable-expansion';

export type Environment = Readonly<Record<string, string | undefined>>;

export interface LoadConfigOptions {
  /** Defaults to process.env. */
  env?: Environment;
  /** Command-line arguments after the script (`--config <path>`); defaults to process.argv. */
  argv?: readonly string[];
  /** The defaults file; `null` skips it. Defaults to config/default.yaml of this package. */
  defaultsFile?: string | null;
  /** Resolves relative paths; defaults to process.cwd(). */
  cwd?: string;
}

export interface LoadedConfig {
  readonly config: GovcConfig;
  /** One line each, for the logger once it exists (accepted govc keys that mean nothing here). */
  readonly warnings: readonly string[];
}

/** The package root, found from src/config or dist/config alike. */
const PACKAGE_ROOT = path.resolve(__dirname, '..', '..');

export const DEFAULTS_FILE = path.join(PACKAGE_ROOT, 'config', 'default.yaml');

interface RawValue {
  readonly value: unknown;
  /** Where it came from: an env name, a file, or `built-in default`. */
  readonly source: string;
}

type Layer = Map<string, RawValue>;

interface LeafSetting {
  readonly key: string;
  readonly spec: SettingSpec;
}

/** Every leaf key of the schema with its spec, in declaration order. */
export function configSettings(): readonly LeafSetting[] {
  const leaves: LeafSetting[] = [];
  const visit = (type: SectionClass, prefix: string): void => {
    for (const [name, spec] of configFields(type)) {
      const key = prefix === '' ? name : `${prefix}.${name}`;
      if (spec.kind === 'section') visit(spec.type(), key);
      else leaves.push({ key, spec });
    }
  };
  visit(GovcConfig, '');
  return leaves;
}

const SETTINGS = new Map(configSettings().map((leaf) => [leaf.key, leaf.spec]));
const KEY_BY_ENV_NAME = new Map([...SETTINGS.keys()].map((key) => [envNameOf(key), key]));
const ALIAS_ENV_NAMES = new Set(ENV_ALIASES.map(([name]) => name));
const SECTION_ENV_PREFIXES = [...configFields(GovcConfig).keys()].map(
  (section) => `${envNameOf(section)}_`,
);

export function loadConfig(options: LoadConfigOptions = {}): LoadedConfig {
  const env = options.env ?? process.env;
  const argv = options.argv ?? process.argv.slice(2);
  const cwd = options.cwd ?? process.cwd();
  const warnings: string[] = [];
  const layers: Layer[] = [];

  const defaultsFile = options.defaultsFile === undefined ? DEFAULTS_FILE : options.defaultsFile;
  if (defaultsFile !== null) {
    layers.push(readYamlLayer(defaultsFile, displayPath(defaultsFile), env, warnings));
  }
  const file = chosenConfigFile(argv, env);
  if (file) {
    layers.push(readYamlLayer(path.resolve(cwd, file.path), file.path, env, warnings, file.via));
  }
  layers.push(readEnvLayer(env, warnings));

  const merged: Layer = new Map();
  for (const layer of layers) for (const [key, raw] of layer) merged.set(key, raw);

  const config = buildConfig(merged);
  crossCheck(config, merged);
  resolveDerivedValues(config);
  return { config: deepFreeze(config), warnings };
}

/** `config/default.yaml` for the package's own file, wherever the server was started from. */
function displayPath(file: string): string {
  const relative = path.relative(PACKAGE_ROOT, file);
  return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
}

function chosenConfigFile(
  argv: readonly string[],
  env: Environment,
): { path: string; via: string } | undefined {
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index] ?? '';
    if (argument.startsWith('--config='))
      return { path: argument.slice('--config='.length), via: '--config' };
    if (argument === '--config') {
      const next = argv[index + 1];
      if (next === undefined || next === '')
        throw new ConfigError('--config', 'needs a file path', 'the command line');
      return { path: next, via: '--config' };
    }
  }
  const fromEnv = env.GOVC_CONFIG;
  return fromEnv ? { path: fromEnv, via: 'GOVC_CONFIG' } : undefined;
}

function readYamlLayer(
  file: string,
  label: string,
  env: Environment,
  warnings: string[],
  via?: string,
): Layer {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new ConfigError(
      label,
      `cannot read the configuration file (${code})`,
      via ?? 'the defaults',
    );
  }
  const document = parseDocument(text, { prettyErrors: false });
  const problem = document.errors[0];
  if (problem) {
    const firstLine = problem.message.split('\n')[0] ?? problem.message;
    throw new ConfigError(label, `invalid YAML: ${firstLine}`, via ?? 'the defaults');
  }
  const root: unknown = document.toJS();
  const layer: Layer = new Map();
  if (root === null || root === undefined) return layer;

  const aliased: Layer = new Map();
  const visit = (node: unknown, type: SectionClass, prefix: string): void => {
    if (!isMapping(node)) {
      throw new ConfigError(prefix === '' ? label : prefix, 'must be a mapping of keys', label);
    }
    const fields = configFields(type);
    for (const [name, value] of Object.entries(node)) {
      const key = prefix === '' ? name : `${prefix}.${name}`;
      const alias = YAML_ALIASES.get(key);
      if (alias) {
        const expanded = expandTree(value, env, key, label);
        const translated = alias.translate ? alias.translate(expanded) : expanded;
        aliased.set(alias.key, { value: translated, source: `${label} (${key})` });
        continue;
      }
      if (isMeaninglessGovcKey(key)) {
        warnings.push(
          `config warning: ${key} has no meaning in govc-ts and is ignored (from ${label})`,
        );
        continue;
      }
      const spec = fields.get(name);
      if (!spec) throw new ConfigError(key, 'unknown key', label);
      if (spec.kind === 'section') {
        if (value !== null) visit(value, spec.type(), key);
      } else {
        layer.set(key, { value: expandTree(value, env, key, label), source: label });
      }
    }
  };
  visit(root, GovcConfig, '');
  for (const [key, raw] of aliased) if (!layer.has(key)) layer.set(key, raw);
  return layer;
}

function isMapping(node: unknown): node is Record<string, unknown> {
  return typeof node === 'object' && node !== null && !Array.isArray(node);
}

function expandTree(value: unknown, env: Environment, key: string, source: string): unknown {
  if (typeof value === 'string') {
    try {
      return expandVariables(value, env);
    } catch (error) {
      throw new ConfigError(key, (error as Error).message, source);
    }
  }
  if (Array.isArray(value)) return value.map((item) => expandTree(item, env, key, source));
  return value;
}

function readEnvLayer(env: Environment, warnings: string[]): Layer {
  const layer: Layer = new Map();
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) continue;
    const key = KEY_BY_ENV_NAME.get(name);
    if (key !== undefined) {
      layer.set(key, { value, source: name });
    } else if (ALIAS_ENV_NAMES.has(name)) {
      continue;
    } else if (isMeaninglessGovcEnvName(name)) {
      warnings.push(`config warning: ${name} has no meaning in govc-ts and is ignored`);
    } else if (SECTION_ENV_PREFIXES.some((prefix) => name.startsWith(prefix))) {
      // Only names inside one of our sections: other tools also use GOVC_* names (GOVC_URL).
      throw new ConfigError(name, 'unknown configuration key', 'the environment');
    }
  }
  for (const [name, alias] of ENV_ALIASES) {
    const value = env[name];
    if (value === undefined || layer.has(alias.key)) continue;
    layer.set(alias.key, { value: alias.translate ? alias.translate(value) : value, source: name });
  }
  return layer;
}

function buildConfig(merged: Layer): GovcConfig {
  const config = new GovcConfig();
  for (const [key, raw] of merged) {
    const spec = SETTINGS.get(key);
    if (!spec) throw new ConfigError(key, 'unknown key', raw.source);
    const parts = key.split('.');
    const name = parts.pop() ?? key;
    let section = config as unknown as Record<string, unknown>;
    for (const part of parts) section = section[part] as Record<string, unknown>;
    section[name] = spec.coerce(raw.value);
  }
  const errors = validateSync(config, { stopAtFirstError: true });
  const first = firstFailure(errors, '');
  if (first) throw describeFailure(first.key, first.reason, merged, config);
  return config;
}

function firstFailure(
  errors: readonly ValidationError[],
  prefix: string,
): { key: string; reason: string } | undefined {
  for (const error of errors) {
    const key = prefix === '' ? error.property : `${prefix}.${error.property}`;
    const reason = Object.values(error.constraints ?? {})[0];
    if (reason !== undefined) return { key, reason };
    const nested = firstFailure(error.children ?? [], key);
    if (nested) return nested;
  }
  return undefined;
}

function describeFailure(
  key: string,
  reason: string,
  merged: Layer,
  config: GovcConfig,
): ConfigError {
  const raw = merged.get(key) ?? { value: valueAt(config, key), source: 'built-in default' };
  const secret = SETTINGS.get(key)?.secret ?? false;
  return new ConfigError(key, reason, raw.source, secret ? '<redacted>' : showValue(raw.value));
}

function valueAt(config: GovcConfig, key: string): unknown {
  let node: unknown = config;
  for (const part of key.split('.')) node = (node as Record<string, unknown>)[part];
  return node;
}

function showValue(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

interface CrossCheck {
  readonly key: string;
  readonly reason: string;
  readonly violated: (config: GovcConfig) => boolean;
}

/** Rules that involve more than one key, checked after every value is valid on its own. */
const CROSS_CHECKS: readonly CrossCheck[] = [
  {
    key: 'storage.postgres_url',
    reason: 'is required when storage.driver is postgres',
    violated: (c) => c.storage.driver === 'postgres' && c.storage.postgres_url === '',
  },
  {
    key: 'storage.postgres_url',
    reason: 'must be a postgres:// or postgresql:// URL',
    violated: (c) =>
      c.storage.postgres_url !== '' && !/^postgres(ql)?:\/\//.test(c.storage.postgres_url),
  },
  {
    key: 'auth.admin_password',
    reason: 'must be 12–1024 bytes when set',
    violated: (c) => {
      const bytes = Buffer.byteLength(c.auth.admin_password);
      return bytes > 0 && (bytes < 12 || bytes > 1024);
    },
  },
  {
    key: 'cluster.enabled',
    reason: 'needs storage.driver postgres (the nodes share one database)',
    violated: (c) => c.cluster.enabled && c.storage.driver !== 'postgres',
  },
  {
    key: 'cluster.secret',
    reason: 'is required when cluster.enabled is true',
    violated: (c) => c.cluster.enabled && c.cluster.secret === '',
  },
  {
    key: 'cluster.advertise_address',
    reason: 'is required when cluster.enabled is true',
    violated: (c) => c.cluster.enabled && c.cluster.advertise_address === '',
  },
  {
    key: 'ai.api_key',
    reason: 'is required when ai.provider is openai',
    violated: (c) => c.ai.provider === 'openai' && c.ai.api_key === '',
  },
  {
    key: 'hooks.backoff_max',
    reason: 'must not be shorter than hooks.backoff_base',
    violated: (c) => c.hooks.backoff_max < c.hooks.backoff_base,
  },
  {
    key: 'hooks.server_hooks.max_timeout',
    reason: 'must not be shorter than hooks.server_hooks.default_timeout',
    violated: (c) => c.hooks.server_hooks.max_timeout < c.hooks.server_hooks.default_timeout,
  },
];

function crossCheck(config: GovcConfig, merged: Layer): void {
  const failed = CROSS_CHECKS.find((check) => check.violated(config));
  if (failed) throw describeFailure(failed.key, failed.reason, merged, config);
}

/** Defaults that depend on other values or on the host. */
function resolveDerivedValues(config: GovcConfig): void {
  if (config.cluster.node_id === '') config.cluster.node_id = hostname();
  if (config.backup.path === '') config.backup.path = path.join(config.storage.path, 'backups');
  if (config.development.debug) config.logging.level = 'debug';
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
