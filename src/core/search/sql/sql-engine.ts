/**
 * Runs a checked SqlQuery (sql-query.ts) over the in-memory tables (sql-tables.ts): filter with
 * SQL's three-valued logic, sort, page, project. `LIKE` is case-insensitive (`%` any run, `_`
 * one character) and `REGEXP` is an unanchored RE2 search, both on re2js, so no pattern can take
 * more than linear time. Stops with QueryFailedError past the time limit.
 */
import { RE2JS } from 're2js';
import { signatureTimeIso } from '../../objects/signature';
import type { Repository } from '../../repo/repository';
import { QueryFailedError } from '../search-errors';
import {
  parseSqlQuery,
  parseTime,
  type SqlExpr,
  type SqlLiteral,
  type SqlQuery,
} from './sql-query';
import {
  TABLES,
  commitRows,
  fileRows,
  refRows,
  type ColumnType,
  type Row,
  type SqlValue,
} from './sql-tables';

export interface SqlLimits {
  /** search.sql.max_rows: the cap on LIMIT. */
  readonly maxRows: number;
  /** search.sql.timeout in milliseconds. */
  readonly timeout: number;
  readonly now?: () => number;
}

export interface SqlResult {
  readonly columns: string[];
  readonly rows: Array<Record<string, SqlValue>>;
  readonly count: number;
  readonly truncated: boolean;
}

export const DEFAULT_SQL_LIMIT = 1000;

type Predicate = (row: Row) => boolean | null;

export function runSql(repository: Repository, text: string, limits: SqlLimits): SqlResult {
  return executeSql(repository, parseSqlQuery(text), limits);
}

export function executeSql(repository: Repository, query: SqlQuery, limits: SqlLimits): SqlResult {
  const now = limits.now ?? Date.now;
  const deadline = now() + limits.timeout;
  const types: Readonly<Record<string, ColumnType>> = TABLES[query.table].columns;
  const predicate = query.where === undefined ? undefined : compile(query.where, types);

  const matched: Row[] = [];
  let seen = 0;
  for (const row of tableRows(repository, query)) {
    if (++seen % 256 === 0 && now() > deadline) {
      throw new QueryFailedError(`query exceeded the time limit of ${limits.timeout} ms`);
    }
    if (predicate === undefined || predicate(row) === true) matched.push(row);
  }

  if (query.select.kind === 'count') {
    const rows = (query.offset ?? 0) > 0 || query.limit === 0 ? [] : [{ count: matched.length }];
    return { columns: ['count'], rows, count: rows.length, truncated: false };
  }

  if (query.orderBy.length > 0) {
    matched.sort((a, b) => {
      for (const { column, descending } of query.orderBy) {
        const order = compareValues(a(column), b(column));
        if (order !== 0) return descending ? -order : order;
      }
      return 0;
    });
  }
  const requested = query.limit ?? DEFAULT_SQL_LIMIT;
  const limit = Math.min(requested, limits.maxRows);
  const offset = query.offset ?? 0;
  const page = matched.slice(offset, offset + limit);
  const truncated =
    matched.length - offset > limit && (query.limit === undefined || query.limit > limits.maxRows);

  const projection = project(query, types);
  return {
    columns: projection.map(([label]) => label),
    rows: page.map((row) => {
      const out: Record<string, SqlValue> = {};
      for (const [label, value] of projection) out[label] = value(row);
      return out;
    }),
    count: page.length,
    truncated,
  };
}

function tableRows(repository: Repository, query: SqlQuery): Iterable<Row> {
  switch (query.table) {
    case 'commits':
      return commitRows(repository);
    case 'refs':
      return refRows(repository);
    case 'files': {
      const ref = topLevelRef(query.where);
      const commit = ref === undefined ? repository.head().oid : repository.resolveCommit(ref);
      return fileRows(repository, ref ?? 'HEAD', commit);
    }
  }
}

/** The `<ref>` of a top-level `AND ref = '<ref>'` conjunct, if the query has one. */
function topLevelRef(where: SqlExpr | undefined): string | undefined {
  if (where === undefined) return undefined;
  if (where.kind === 'and') return topLevelRef(where.left) ?? topLevelRef(where.right);
  if (where.kind === 'compare' && where.column === 'ref' && where.op === '=') {
    return typeof where.value === 'string' ? where.value : undefined;
  }
  return undefined;
}

function project(
  query: SqlQuery,
  types: Readonly<Record<string, ColumnType>>,
): Array<[string, (row: Row) => SqlValue]> {
  const shown = (column: string): ((row: Row) => SqlValue) =>
    types[column] === 'time' ? (row) => showTime(row(column)) : (row) => row(column);
  if (query.select.kind === 'star') {
    const hidden: readonly string[] = TABLES[query.table].hidden;
    return Object.keys(types)
      .filter((column) => !hidden.includes(column))
      .map((column) => [column, shown(column)]);
  }
  if (query.select.kind === 'count') return [];
  return query.select.items.map(({ column, lower }) => {
    const value = shown(column);
    return lower
      ? [
          `lower(${column})`,
          (row) => {
            const v = value(row);
            return typeof v === 'string' ? v.toLowerCase() : v;
          },
        ]
      : [column, value];
  });
}

function showTime(value: SqlValue): SqlValue {
  return typeof value === 'number'
    ? signatureTimeIso({ name: '', email: '', timestamp: value, timezone: '+0000' })
    : value;
}

/** NULLs first, then numbers/booleans numerically and strings by UTF-16 code units. */
function compareValues(a: SqlValue, b: SqlValue): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  const x = typeof a === 'boolean' ? Number(a) : a;
  const y = typeof b === 'boolean' ? Number(b) : b;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** A literal in the representation of the column's values. */
function coerce(type: ColumnType, value: SqlLiteral): SqlValue {
  if (value === null) return null;
  if (type === 'time' && typeof value === 'string') return parseTime(value);
  if (type === 'bool' && typeof value === 'number') return value === 1;
  return value;
}

function compile(expr: SqlExpr, types: Readonly<Record<string, ColumnType>>): Predicate {
  switch (expr.kind) {
    case 'and': {
      const left = compile(expr.left, types);
      const right = compile(expr.right, types);
      return (row) => {
        const a = left(row);
        if (a === false) return false;
        const b = right(row);
        if (b === false) return false;
        return a === null || b === null ? null : true;
      };
    }
    case 'or': {
      const left = compile(expr.left, types);
      const right = compile(expr.right, types);
      return (row) => {
        const a = left(row);
        if (a === true) return true;
        const b = right(row);
        if (b === true) return true;
        return a === null || b === null ? null : false;
      };
    }
    case 'not': {
      const inner = compile(expr.expr, types);
      return (row) => {
        const value = inner(row);
        return value === null ? null : !value;
      };
    }
    case 'compare': {
      const type = types[expr.column] as ColumnType;
      const literal = coerce(type, expr.value);
      const { column, op } = expr;
      return (row) => {
        const value = row(column);
        if (value === null || literal === null) return null;
        const order = compareValues(value, literal);
        switch (op) {
          case '=':
            return order === 0;
          case '!=':
            return order !== 0;
          case '<':
            return order < 0;
          case '<=':
            return order <= 0;
          case '>':
            return order > 0;
          case '>=':
            return order >= 0;
        }
      };
    }
    case 'like': {
      const re = compileRegex(likeToRegex(expr.pattern), RE2JS.CASE_INSENSITIVE | RE2JS.DOTALL);
      const { column, negated } = expr;
      return (row) => {
        const value = row(column);
        if (value === null) return null;
        return re.matches(String(value)) !== negated;
      };
    }
    case 'regexp': {
      const re = compileRegex(expr.pattern, 0);
      const { column } = expr;
      return (row) => {
        const value = row(column);
        return value === null ? null : re.matcher(String(value)).find();
      };
    }
    case 'in': {
      const type = types[expr.column] as ColumnType;
      const values = expr.values.map((value) => coerce(type, value));
      const hasNull = values.includes(null);
      const { column, negated } = expr;
      return (row) => {
        const value = row(column);
        if (value === null) return null;
        const found = values.some(
          (candidate) => candidate !== null && compareValues(value, candidate) === 0,
        );
        if (found) return !negated;
        return hasNull ? null : negated;
      };
    }
    case 'null': {
      const { column, negated } = expr;
      return (row) => (row(column) === null) !== negated;
    }
    case 'between': {
      const type = types[expr.column] as ColumnType;
      const low = coerce(type, expr.low);
      const high = coerce(type, expr.high);
      const { column, negated } = expr;
      return (row) => {
        const value = row(column);
        if (value === null || low === null || high === null) return null;
        const inside = compareValues(value, low) >= 0 && compareValues(value, high) <= 0;
        return inside !== negated;
      };
    }
  }
}

const RE2_SPECIAL = /[\\^$.|?*+()[\]{}]/g;

/** A LIKE pattern as an anchored RE2 source: `%` → `.*`, `_` → `.`, the rest literal. */
export function likeToRegex(pattern: string): string {
  let out = '';
  for (const c of pattern) {
    if (c === '%') out += '.*';
    else if (c === '_') out += '.';
    else out += c.replace(RE2_SPECIAL, (s) => `\\${s}`);
  }
  return out;
}

function compileRegex(source: string, flags: number): RE2JS {
  try {
    return RE2JS.compile(source, flags);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new QueryFailedError(`bad regular expression: ${message}`);
  }
}
