/**
 * How query-string values become typed DTO fields. Query values arrive as strings (or arrays
 * when a key repeats); these transforms convert only the exact forms they accept and leave
 * everything else as it came, so the field's validator refuses it with a clear message instead
 * of a silent coercion (`"abc"` never becomes `NaN`, `"yes"` never becomes `true`).
 */
import { Transform } from 'class-transformer';

/** `"12"` → 12; anything else (`"1.5"`, `"abc"`, repeated keys) is left for IsInt to refuse. */
export function IntegerQuery(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^-?\d{1,16}$/.test(value) ? Number(value) : value,
  );
}

/** `"true"`/`"1"` → true, `"false"`/`"0"` → false; anything else is left for IsBoolean. */
export function BooleanQuery(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => {
    if (value === 'true' || value === '1') return true;
    if (value === 'false' || value === '0') return false;
    return value;
  });
}
