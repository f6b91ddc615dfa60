/**
 * The global ValidationPipe: DTO classes validate bodies and queries, unknown fields are dropped
 * (whitelist) rather than refused, and a failure becomes 400 INVALID_REQUEST listing every
 * failing field with its dotted path (`repo_permissions.r1[0]`), as api-contract.md §0.2 shows.
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
      const fields = failingFields(errors).slice(0, MAX_REPORTED_FIELDS);
      const summary = fields
        .slice(0, 3)
        .map((failure) => `${failure.field}: ${failure.message}`)
        .join('; ');
      const more = fields.length > 3 ? ` (and ${fields.length - 3} more)` : '';
      return new HttpError(400, 'INVALID_REQUEST', `invalid request: ${summary}${more}`, {
        fields,
      });
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
