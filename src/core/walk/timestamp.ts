/**
 * The time-travel target as the API accepts it (contract §9): Unix seconds, RFC 3339 (with an
 * optional fraction and a `Z` or `±hh:mm` offset), `YYYY-MM-DD HH:MM:SS` (UTC) or `YYYY-MM-DD`
 * (midnight UTC). Everything else, including impossible dates such as Feb 30, is refused.
 *
 * Dates are converted with plain calendar arithmetic, not Date.UTC, which maps years 0-99 to
 * 1900-1999.
 */
import { InvalidTimestampError } from '../errors/transaction-errors';

const UNIX_SECONDS = /^[0-9]{1,15}$/;
const DATE_TIME =
  /^([0-9]{4})-([0-9]{2})-([0-9]{2})(?:([Tt ])([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})?)?$/;

/** Days from 1970-01-01 to the given proleptic Gregorian date (Howard Hinnant's algorithm). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra =
    yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * Unix seconds (an integer: a fraction is dropped, which never changes which commits are at
 * or before the target, since git times are whole seconds). Throws InvalidTimestampError.
 */
export function parseTimestamp(text: string): number {
  if (UNIX_SECONDS.test(text)) return Number(text);
  const match = DATE_TIME.exec(text);
  if (match === null) throw new InvalidTimestampError(text);
  const [, y, mo, d, separator, h, mi, s, , zone] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month))
    throw new InvalidTimestampError(text);
  let seconds = daysFromCivil(year, month, day) * 86_400;
  if (separator === undefined) return seconds;

  // `T` needs an offset (RFC 3339); the space form is UTC and takes none.
  if ((separator === ' ') !== (zone === undefined)) throw new InvalidTimestampError(text);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (hour > 23 || minute > 59 || second > 59) throw new InvalidTimestampError(text);
  seconds += hour * 3600 + minute * 60 + second;
  if (zone !== undefined && zone !== 'Z' && zone !== 'z') {
    const offsetHours = Number(zone.slice(1, 3));
    const offsetMinutes = Number(zone.slice(4, 6));
    if (offsetHours > 23 || offsetMinutes > 59) throw new InvalidTimestampError(text);
    const offset = (offsetHours * 3600 + offsetMinutes * 60) * (zone[0] === '-' ? -1 : 1);
    seconds -= offset;
  }
  return seconds;
}
