/**
 * Identity lines of commits and tags: `Name <email> <unix seconds> <+hhmm>`.
 */
import { CorruptObjectError } from '../errors/object-errors';

export interface Signature {
  readonly name: string;
  readonly email: string;
  /** Seconds since the Unix epoch. */
  readonly timestamp: number;
  /** Offset as git writes it, e.g. `+0000`, `-0730`. */
  readonly timezone: string;
}

export function formatSignature(sig: Signature): string {
  return `${sig.name} <${sig.email}> ${sig.timestamp} ${sig.timezone}`;
}

export function parseSignature(text: string, type: string): Signature {
  const lt = text.indexOf('<');
  const gt = lt < 0 ? -1 : text.indexOf('>', lt);
  if (lt < 0 || gt < 0) throw new CorruptObjectError(type, `bad identity '${text}'`);
  const name = text.slice(0, lt).replace(/ $/, '');
  const email = text.slice(lt + 1, gt);
  const rest = text.slice(gt + 1).trim();
  const match = /^(-?\d+)(?: ([+-]\d{4}))?$/.exec(rest);
  if (!match) throw new CorruptObjectError(type, `bad date in identity '${text}'`);
  return { name, email, timestamp: Number(match[1]), timezone: match[2] ?? '+0000' };
}

/** Minutes east of UTC for an offset like `-0730`. */
export function timezoneOffsetMinutes(timezone: string): number {
  const sign = timezone.startsWith('-') ? -1 : 1;
  const digits = timezone.replace(/^[+-]/, '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4)));
}

/** RFC3339 in UTC with second precision, as the REST API shows git times. */
export function signatureTimeIso(sig: Signature): string {
  return new Date(sig.timestamp * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
