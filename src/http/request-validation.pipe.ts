/**
 * The global ValidationPipe: DTO classes validate bodies and queries, unknown fields are dropped
 * (whitelist) rather than refused, and a failure becomes 400 INVALID_REQUEST listing every
 * failing field with its dotted path (`repo_permissions.r1[0]`), as api-contract.md §0.2 shows.
 * A rule may name a more specific code in its context (`@IsInt({ context: { code:
 * 'INVALID_LIMIT' } })`, §0.4 paging); the first failing field that names one decides the code.
 */
import { ValidationPipe } from '@nestjs/common';
import type { ValidationError } from 'class-validator';
import { HttpError } from './http-error';

export interface FieldFailure {
  readonly field: string;
  readonly message: string;
}

/** A hostile payload can fail thousands of fields; the answer stays small. */
export const MAX_REPORTED_FIELDS = 100;

export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    transform: true,
    // Keep each error's value: it tells an array index (`[0]`) from an object key (`.0`).
    validationError: { target: false, value: true },
    exceptionFactory: (errors: ValidationError[]) => {
      const fields = distinct(failingFields(errors)).slice(0, MAX_REPORTED_FIELDS);
      const summary = fields
        .slice(0, 3)
        .map((failure) => `${failure.field}: ${failure.message}`)
        .join('; ');
      const more = fields.length > 3 ? ` (and ${fields.length - 3} more)` : '';
      const code = contextCode(errors) ?? 'INVALID_REQUEST';
      return new HttpError(400, code, `invalid request: ${summary}${more}`, { fields });
    },
  });
}

/** Flattens class-validator's tree; array elements as `[i]`, object keys as `.key`. */
export function failingFields(
  errors: readonly ValidationError[],
  prefix = '',
  parentIsArray = false,
): FieldFailure[] {
  const failures: FieldFailure[] = [];
  for (const error of errors) {
    const field =
      parentIsArray && /^\d+$/.test(error.property)
        ? `${prefix}[${error.property}]`
        : prefix === ''
          ? error.property
          : `${prefix}.${error.property}`;
    for (const message of Object.values(error.constraints ?? {})) failures.push({ field, message });
    if (error.children?.length) {
      failures.push(...failingFields(error.children, field, Array.isArray(error.value)));
    }
  }
  return failures;
}

/** The first `code` a failing rule declares in its context, depth first. */
export function contextCode(errors: readonly ValidationError[]): string | undefined {
  for (const error of errors) {
    for (const context of Object.values(error.contexts ?? {})) {
      const code = (context as { code?: unknown } | undefined)?.code;
      if (typeof code === 'string') return code;
    }
    const nested = contextCode(error.children ?? []);
    if (nested !== undefined) return nested;
  }
  return undefined;
}

/** Drops repeats: two rules of one field may share a message (`limit must be an integer ≥ 1`). */
function distinct(failures: readonly FieldFailure[]): FieldFailure[] {
  const seen = new Set<string>();
  return failures.filter(({ field, message }) => {
    const key = `${field}\u0000${message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
