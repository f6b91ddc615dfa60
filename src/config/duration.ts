/**
 * Durations as written in configuration: `500ms`, `30s`, `5m`, `24h`, `7d`, combinable (`1h30m`);
 * a bare number means seconds. Values are carried as milliseconds everywhere in the server, and
 * printed back in Go's style (`25s`, `1m30s`, `1h2m3.5s`) because govc clients read that format.
 */

/** A length of time in milliseconds. */
export type Milliseconds = number;

const MS_PER_UNIT: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

const BARE_SECONDS = /^\d+(?:\.\d+)?$/;
const COMPONENT = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/y;

/** Parses a duration; returns undefined when the text is not one (callers report the key). */
export function parseDuration(value: string | number): Milliseconds | undefined {
  if (typeof value === 'number') {
    return Number.isFinite(value) && value >= 0 ? Math.round(value * 1000) : undefined;
  }
  const text = value.trim();
  if (BARE_SECONDS.test(text)) return Math.round(Number(text) * 1000);
  if (text === '') return undefined;
  let total = 0;
  COMPONENT.lastIndex = 0;
  while (COMPONENT.lastIndex < text.length) {
    const match = COMPONENT.exec(text);
    if (!match) return undefined;
    const [, amount, unit] = match;
    total += Number(amount) * (MS_PER_UNIT[unit ?? ''] ?? Number.NaN);
  }
  const rounded = Math.round(total);
  return Number.isSafeInteger(rounded) ? rounded : undefined;
}

/** Formats milliseconds like Go's time.Duration.String(): `420µs`, `500ms`, `25s`, `1h0m0s`. */
export function formatDuration(ms: Milliseconds): string {
  if (ms <= 0) return '0s';
  if (ms < 1) return `${Math.round(ms * 1000)}µs`;
  if (ms < 1000) return `${trimFraction(ms)}ms`;
  const whole = Math.round(ms);
  const hours = Math.floor(whole / 3_600_000);
  const minutes = Math.floor((whole % 3_600_000) / 60_000);
  const seconds = `${trimFraction((whole % 60_000) / 1000)}s`;
  if (hours > 0) return `${hours}h${minutes}m${seconds}`;
  if (minutes > 0) return `${minutes}m${seconds}`;
  return seconds;
}

function trimFraction(value: number): string {
  return String(Number(value.toFixed(3)));
}
