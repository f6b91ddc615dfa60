/**
 * Decorators that declare one configuration setting on a schema class: how a raw value from YAML
 * or the environment is coerced (`"30s"` → 30000, `"yes"` → true, `"a,b"` → ["a","b"]) and which
 * class-validator rules the result must pass. Every rule of a setting carries the same message, so
 * a failure prints one line naming the key and what it expects.
 */
import 'reflect-metadata';
import {
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsString,
  Max,
  Min,
  ValidateBy,
  ValidateNested,
} from 'class-validator';
import { parseDuration } from './duration';
import { parseSize } from './size';

/** A schema class: a section of the configuration whose property initializers are the defaults. */
export type SectionClass = new () => object;

/** A leaf key: coerces raw input; `secret` values are never echoed in error messages. */
export interface SettingSpec {
  readonly kind: 'setting';
  readonly coerce: (raw: unknown) => unknown;
  readonly secret: boolean;
}

/** A nested section such as `server.cors`. */
export interface SectionSpec {
  readonly kind: 'section';
  readonly type: () => SectionClass;
}

export type FieldSpec = SettingSpec | SectionSpec;

const FIELDS = Symbol('govc:config-fields');

/** The settings and sections a schema class declares, in declaration order. */
export function configFields(type: SectionClass): ReadonlyMap<string, FieldSpec> {
  return (
    (Reflect.getOwnMetadata(FIELDS, type.prototype as object) as
      Map<string, FieldSpec> | undefined) ?? new Map()
  );
}

function register(prototype: object, property: string | symbol, spec: FieldSpec): void {
  let fields = Reflect.getOwnMetadata(FIELDS, prototype) as Map<string, FieldSpec> | undefined;
  if (!fields) {
    fields = new Map();
    Reflect.defineMetadata(FIELDS, fields, prototype);
  }
  fields.set(String(property), spec);
}

function setting(
  coerce: (raw: unknown) => unknown,
  options: { secret?: boolean },
  ...rules: PropertyDecorator[]
): PropertyDecorator {
  return (prototype, property) => {
    register(prototype, property, { kind: 'setting', coerce, secret: options.secret ?? false });
    for (const rule of rules) rule(prototype, property);
  };
}

/** A one-off class-validator rule with the setting's message. */
function rule(
  name: string,
  accepts: (value: unknown) => boolean,
  message: string,
): PropertyDecorator {
  return ValidateBy({ name, validator: { validate: accepts, defaultMessage: () => message } });
}

function scalarToString(raw: unknown): unknown {
  return typeof raw === 'number' || typeof raw === 'boolean' ? String(raw) : raw;
}

function toInteger(raw: unknown): unknown {
  if (typeof raw === 'string' && /^[+-]?\d+$/.test(raw.trim())) return Number(raw.trim());
  return raw;
}

const TRUE_WORDS = new Set(['true', '1', 'yes']);
const FALSE_WORDS = new Set(['false', '0', 'no']);

function toBoolean(raw: unknown): unknown {
  const word =
    typeof raw === 'string' || typeof raw === 'number'
      ? String(raw).trim().toLowerCase()
      : undefined;
  if (word === undefined) return raw;
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  return raw;
}

function toList(raw: unknown): unknown {
  if (typeof raw === 'string') {
    return raw
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '');
  }
  if (Array.isArray(raw)) return raw.map(scalarToString);
  if (raw === null) return [];
  return raw;
}

export function IntegerSetting(min: number, max?: number): PropertyDecorator {
  const message =
    max === undefined ? `must be an integer ≥ ${min}` : `must be an integer ${min}–${max}`;
  return setting(
    toInteger,
    {},
    IsInt({ message }),
    Min(min, { message }),
    Max(max ?? Number.MAX_SAFE_INTEGER, { message }),
  );
}

export function BooleanSetting(): PropertyDecorator {
  return setting(
    toBoolean,
    {},
    IsBoolean({ message: 'must be a boolean (true/false, 1/0, yes/no)' }),
  );
}

/** A duration, stored as milliseconds; `positive` rejects zero. */
export function DurationSetting(options: { positive?: boolean } = {}): PropertyDecorator {
  const message = `must be a ${options.positive ? 'positive ' : ''}duration such as 500ms, 30s, 5m, 24h or 1h30m`;
  const coerce = (raw: unknown): unknown =>
    typeof raw === 'string' || typeof raw === 'number' ? (parseDuration(raw) ?? raw) : raw;
  return setting(coerce, {}, IsInt({ message }), Min(options.positive ? 1 : 0, { message }));
}

/** A size, stored as bytes. */
export function SizeSetting(): PropertyDecorator {
  const message = 'must be a size such as 512B, 10KB or 10MiB';
  const coerce = (raw: unknown): unknown =>
    typeof raw === 'string' || typeof raw === 'number' ? (parseSize(raw) ?? raw) : raw;
  return setting(coerce, {}, IsInt({ message }), Min(0, { message }));
}

export interface StringSettingOptions {
  /** Never echo the value (passwords, tokens, URLs that may hold credentials). */
  secret?: boolean;
  /** Minimum length when the value is not empty (empty keeps meaning "unset"). */
  minLengthIfSet?: number;
  /** The value must be an http(s) URL (or empty when `optional`). */
  url?: boolean;
  /** Empty is allowed (for `url`). */
  optional?: boolean;
  /** The value must not be empty. */
  required?: boolean;
}

export function StringSetting(options: StringSettingOptions = {}): PropertyDecorator {
  const rules: PropertyDecorator[] = [IsString({ message: 'must be a string' })];
  if (options.required) {
    rules.push(rule('notEmpty', (value) => value !== '', 'must not be empty'));
  }
  const minLength = options.minLengthIfSet;
  if (minLength !== undefined) {
    rules.push(
      rule(
        'minLengthIfSet',
        (value) => typeof value !== 'string' || value === '' || value.length >= minLength,
        `must be at least ${minLength} characters when set`,
      ),
    );
  }
  if (options.url) {
    rules.push(
      rule(
        'httpUrl',
        (value) => (options.optional && value === '') || isHttpUrl(value),
        options.optional ? 'must be an http(s) URL or empty' : 'must be an http(s) URL',
      ),
    );
  }
  return setting(scalarToString, { secret: options.secret }, ...rules);
}

function isHttpUrl(value: unknown): boolean {
  if (typeof value !== 'string' || !URL.canParse(value)) return false;
  const { protocol } = new URL(value);
  return protocol === 'http:' || protocol === 'https:';
}

/** One of a closed set of words; input is lower-cased first (govc wrote `INFO`). */
export function ChoiceSetting(choices: readonly string[]): PropertyDecorator {
  const message = `must be one of ${choices.join(', ')}`;
  const coerce = (raw: unknown): unknown => {
    const text = scalarToString(raw);
    return typeof text === 'string' ? text.trim().toLowerCase() : text;
  };
  return setting(coerce, {}, IsIn(choices, { message }));
}

/** A list of strings: a YAML list, or comma-separated text (the form env variables use). */
export function ListSetting(item?: {
  accepts: (value: string) => boolean;
  description: string;
}): PropertyDecorator {
  const rules: PropertyDecorator[] = [
    IsArray({ message: 'must be a list of strings' }),
    IsString({ each: true, message: 'must be a list of strings' }),
  ];
  if (item) {
    rules.push(
      rule(
        'listItems',
        (value) =>
          !Array.isArray(value) ||
          value.every((entry) => typeof entry === 'string' && item.accepts(entry)),
        `must be a list of ${item.description}`,
      ),
    );
  }
  return setting(toList, {}, ...rules);
}

/** A nested section; its own class declares its keys and defaults. */
export function Section(type: () => SectionClass): PropertyDecorator {
  return (prototype, property) => {
    register(prototype, property, { kind: 'section', type });
    ValidateNested()(prototype, property);
  };
}
