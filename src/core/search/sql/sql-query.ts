/**
 * The read-only SQL subset of api-contract.md §5.4. Text is parsed by node-sql-parser (MySQL
 * grammar), then the AST is walked with a whitelist: one SELECT, one known table, columns,
 * `COUNT(*)` or `LOWER(column)`, a WHERE of AND/OR/NOT over column-vs-literal predicates, ORDER BY
 * columns, LIMIT/OFFSET. Everything else (joins, sub-queries, unions, other functions, other
 * statements, aliases, GROUP BY, column-vs-column comparisons…) is QueryFailedError with the
 * reason; syntax errors carry the parser's position. Columns and literal types are checked here,
 * before anything runs.
 */
import { Parser } from 'node-sql-parser/build/mysql';
import { QueryFailedError } from '../search-errors';
import { TABLES, type ColumnType, type TableName } from './sql-tables';

export type SqlLiteral = string | number | boolean | null;

export type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=';

export type SqlExpr =
  | { readonly kind: 'and' | 'or'; readonly left: SqlExpr; readonly right: SqlExpr }
  | { readonly kind: 'not'; readonly expr: SqlExpr }
  | {
      readonly kind: 'compare';
      readonly op: CompareOp;
      readonly column: string;
      readonly value: SqlLiteral;
    }
  | {
      readonly kind: 'like';
      readonly column: string;
      readonly pattern: string;
      readonly negated: boolean;
    }
  | {
      readonly kind: 'in';
      readonly column: string;
      readonly values: readonly SqlLiteral[];
      readonly negated: boolean;
    }
  | { readonly kind: 'null'; readonly column: string; readonly negated: boolean }
  | {
      readonly kind: 'between';
      readonly column: string;
      readonly low: SqlLiteral;
      readonly high: SqlLiteral;
      readonly negated: boolean;
    }
  | { readonly kind: 'regexp'; readonly column: string; readonly pattern: string };

export type SqlSelect =
  | { readonly kind: 'star' }
  | { readonly kind: 'count' }
  | {
      readonly kind: 'items';
      readonly items: ReadonlyArray<{ readonly column: string; readonly lower: boolean }>;
    };

export interface SqlQuery {
  readonly table: TableName;
  readonly select: SqlSelect;
  readonly where?: SqlExpr;
  readonly orderBy: ReadonlyArray<{ readonly column: string; readonly descending: boolean }>;
  readonly limit?: number;
  readonly offset?: number;
}

type Node = Record<string, unknown>;

const parser = new Parser();

function fail(reason: string, position?: number): never {
  throw new QueryFailedError(reason, position);
}

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Keys of a SELECT node that must be empty; each maps to the feature it would bring. */
const UNSUPPORTED_SELECT_PARTS: Readonly<Record<string, string>> = {
  with: 'WITH clauses are not supported',
  options: 'SELECT options are not supported',
  distinct: 'DISTINCT is not supported',
  groupby: 'GROUP BY is not supported',
  having: 'HAVING is not supported',
  window: 'window clauses are not supported',
  locking_read: 'locking reads are not supported',
  collate: 'COLLATE is not supported',
  _next: 'UNION, INTERSECT and EXCEPT are not supported',
  set_op: 'UNION, INTERSECT and EXCEPT are not supported',
};

const KNOWN_SELECT_KEYS = new Set([
  ...Object.keys(UNSUPPORTED_SELECT_PARTS),
  'type',
  'columns',
  'into',
  'from',
  'where',
  'orderby',
  'limit',
]);

/** Longer query texts are refused before parsing. */
export const MAX_QUERY_LENGTH = 10_000;

/** Parses and checks one query of the subset; QueryFailedError otherwise. */
export function parseSqlQuery(text: string): SqlQuery {
  if (text.length > MAX_QUERY_LENGTH)
    fail(`the query is longer than ${MAX_QUERY_LENGTH} characters`);
  let ast: unknown;
  try {
    ast = parser.astify(text);
  } catch (error) {
    const location = (error as { location?: { start?: { offset?: number } } }).location;
    const message = error instanceof Error ? error.message : String(error);
    fail(
      `syntax error: ${message.split('\n')[0] ?? message}`.slice(0, 300),
      location?.start?.offset,
    );
  }
  if (Array.isArray(ast)) {
    if (ast.length !== 1) fail('exactly one statement is allowed');
    ast = ast[0];
  }
  if (!isNode(ast) || ast.type !== 'select') {
    const kind = isNode(ast) && typeof ast.type === 'string' ? ast.type.toUpperCase() : 'this';
    fail(`only SELECT statements are allowed (got ${kind})`);
  }
  for (const [key, value] of Object.entries(ast)) {
    if (!KNOWN_SELECT_KEYS.has(key)) {
      if (value !== null && value !== undefined) fail(`unsupported clause '${key}'`);
      continue;
    }
    const reason = UNSUPPORTED_SELECT_PARTS[key];
    if (reason !== undefined && value !== null && value !== undefined) fail(reason);
  }
  if (isNode(ast.into) && ast.into.position !== null && ast.into.position !== undefined) {
    fail('SELECT … INTO is not supported');
  }
  const table = parseFrom(ast.from);
  const columns = TABLES[table].columns;
  const column = (node: unknown, where: string): string => columnName(node, table, columns, where);
  const select = parseSelect(ast.columns, column);
  const where =
    ast.where === null || ast.where === undefined
      ? undefined
      : parseExpr(ast.where, column, columns);
  const orderBy = parseOrderBy(ast.orderby, column);
  const { limit, offset } = parseLimit(ast.limit);
  return {
    table,
    select,
    ...(where === undefined ? {} : { where }),
    orderBy,
    ...(limit === undefined ? {} : { limit }),
    ...(offset === undefined ? {} : { offset }),
  };
}

function parseFrom(from: unknown): TableName {
  if (!Array.isArray(from) || from.length === 0) fail('a FROM clause naming one table is required');
  if (from.length > 1) fail('joins are not supported (one table per query)');
  const entry: unknown = from[0];
  if (!isNode(entry) || typeof entry.table !== 'string') fail('sub-queries are not supported');
  if (entry.join !== undefined && entry.join !== null) fail('joins are not supported');
  if (entry.db !== null && entry.db !== undefined) fail('qualified table names are not supported');
  if (entry.as !== null && entry.as !== undefined) fail('table aliases are not supported');
  const name = entry.table.toLowerCase();
  if (!Object.hasOwn(TABLES, name)) {
    fail(`unknown table '${entry.table}' (tables: ${Object.keys(TABLES).join(', ')})`);
  }
  return name as TableName;
}

function columnName(
  node: unknown,
  table: TableName,
  columns: Readonly<Record<string, ColumnType>>,
  where: string,
): string {
  if (!isNode(node) || node.type !== 'column_ref') fail(`${where}: expected a column`);
  if (node.table !== null && node.table !== undefined) {
    fail(`${where}: qualified column names are not supported`);
  }
  const raw =
    typeof node.column === 'string'
      ? node.column
      : isNode(node.column)
        ? columnText(node.column)
        : '';
  const name = raw.toLowerCase();
  if (!Object.hasOwn(columns, name)) fail(`unknown column '${raw}' in table '${table}'`);
  return name;
}

/** node-sql-parser wraps some identifiers as {expr: {type, value}}. */
function columnText(node: Node): string {
  const expr = node.expr;
  return isNode(expr) && typeof expr.value === 'string' ? expr.value : '';
}

function parseSelect(
  columns: unknown,
  column: (node: unknown, where: string) => string,
): SqlSelect {
  if (!Array.isArray(columns) || columns.length === 0) fail('nothing selected');
  const items: Array<{ column: string; lower: boolean }> = [];
  for (const entry of columns as unknown[]) {
    if (!isNode(entry) || !isNode(entry.expr)) fail('unsupported select list');
    if (entry.as !== null && entry.as !== undefined) fail('column aliases (AS) are not supported');
    const expr = entry.expr;
    if (expr.type === 'column_ref' && expr.column === '*') {
      if (columns.length !== 1) fail('* cannot be combined with other columns');
      if (expr.table !== null && expr.table !== undefined) fail('qualified * is not supported');
      return { kind: 'star' };
    }
    if (expr.type === 'aggr_func') {
      const args = isNode(expr.args) ? expr.args : {};
      const star = isNode(args.expr) && args.expr.type === 'star';
      if (
        String(expr.name).toUpperCase() !== 'COUNT' ||
        !star ||
        (args.distinct ?? null) !== null
      ) {
        fail(`function ${String(expr.name)} is not supported (only COUNT(*) and LOWER(column))`);
      }
      if (columns.length !== 1) fail('COUNT(*) cannot be combined with other columns');
      return { kind: 'count' };
    }
    if (expr.type === 'function') {
      const name = functionName(expr);
      const args = isNode(expr.args) && Array.isArray(expr.args.value) ? expr.args.value : [];
      if (name !== 'LOWER' || args.length !== 1) {
        fail(`function ${name} is not supported (only COUNT(*) and LOWER(column))`);
      }
      items.push({ column: column(args[0], 'LOWER'), lower: true });
      continue;
    }
    items.push({ column: column(expr, 'select list'), lower: false });
  }
  return { kind: 'items', items };
}

function functionName(expr: Node): string {
  const name = expr.name;
  if (isNode(name) && Array.isArray(name.name)) {
    return (name.name as unknown[])
      .map((part) => (isNode(part) ? String(part.value) : ''))
      .join('.')
      .toUpperCase();
  }
  return String(name).toUpperCase();
}

function literal(node: unknown): SqlLiteral {
  if (!isNode(node)) fail('expected a literal');
  switch (node.type) {
    case 'single_quote_string':
      return String(node.value).replace(/''/g, "'");
    case 'number':
    case 'bigint': {
      const value = Number(node.value);
      if (!Number.isFinite(value)) fail(`bad number '${String(node.value)}'`);
      return value;
    }
    case 'bool':
      return node.value === true;
    case 'null':
      return null;
    case 'double_quote_string':
      return fail('string literals are written in single quotes');
    case 'column_ref':
      return fail('comparing a column with a column is not supported (compare with a literal)');
    default:
      return fail(`unsupported value of type '${String(node.type)}' (expected a literal)`);
  }
}

function literalOfType(
  node: unknown,
  column: string,
  columns: Readonly<Record<string, ColumnType>>,
): SqlLiteral {
  const value = literal(node);
  checkType(column, columns[column] as ColumnType, value);
  return value;
}

/** Rejects a literal whose type cannot compare with the column's. */
export function checkType(column: string, type: ColumnType, value: SqlLiteral): void {
  if (value === null) return;
  const ok =
    type === 'string'
      ? typeof value === 'string'
      : type === 'int'
        ? typeof value === 'number'
        : type === 'bool'
          ? typeof value === 'boolean' || value === 0 || value === 1
          : typeof value === 'number' ||
            (typeof value === 'string' && !Number.isNaN(parseTime(value)));
  if (!ok) {
    const expected =
      type === 'time'
        ? 'an RFC3339 string or Unix seconds'
        : type === 'int'
          ? 'a number'
          : `a ${type}`;
    fail(
      `type mismatch: column '${column}' compares with ${expected}, got ${JSON.stringify(value)}`,
    );
  }
}

/** RFC3339 to Unix seconds; NaN when malformed. */
export function parseTime(text: string): number {
  if (!/^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.test(text))
    return NaN;
  return Date.parse(text.replace(' ', 'T')) / 1000;
}

const COMPARE_OPS: Readonly<Record<string, CompareOp>> = {
  '=': '=',
  '!=': '!=',
  '<>': '!=',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
};

/** Deeper WHERE trees are refused: evaluation recurses once per level. */
export const MAX_EXPRESSION_DEPTH = 64;

function parseExpr(
  node: unknown,
  column: (node: unknown, where: string) => string,
  columns: Readonly<Record<string, ColumnType>>,
  depth = 0,
): SqlExpr {
  if (depth > MAX_EXPRESSION_DEPTH) {
    fail(`the WHERE clause nests deeper than ${MAX_EXPRESSION_DEPTH} levels`);
  }
  if (!isNode(node)) fail('unsupported WHERE expression');
  if (node.type === 'unary_expr' && String(node.operator).toUpperCase() === 'NOT') {
    return { kind: 'not', expr: parseExpr(node.expr, column, columns, depth + 1) };
  }
  // The parser reads `NOT (expr)` as a call of a function named NOT.
  if (node.type === 'function' && functionName(node) === 'NOT') {
    const args = isNode(node.args) && Array.isArray(node.args.value) ? node.args.value : [];
    if (args.length !== 1) fail('NOT takes one condition');
    return { kind: 'not', expr: parseExpr(args[0], column, columns, depth + 1) };
  }
  if (node.type !== 'binary_expr') {
    fail(`unsupported WHERE expression of type '${String(node.type)}' (expected a predicate)`);
  }
  const op = String(node.operator).toUpperCase();
  if (op === 'AND' || op === 'OR') {
    return {
      kind: op === 'AND' ? 'and' : 'or',
      left: parseExpr(node.left, column, columns, depth + 1),
      right: parseExpr(node.right, column, columns, depth + 1),
    };
  }
  const name = column(node.left, `operator ${op}`);
  const type = columns[name] as ColumnType;
  const compare = COMPARE_OPS[op];
  if (compare !== undefined) {
    return {
      kind: 'compare',
      op: compare,
      column: name,
      value: literalOfType(node.right, name, columns),
    };
  }
  switch (op) {
    case 'LIKE':
    case 'NOT LIKE': {
      if (isNode(node.right) && node.right.escape !== undefined)
        fail('LIKE … ESCAPE is not supported');
      const pattern = literal(node.right);
      if (typeof pattern !== 'string') fail('LIKE needs a string pattern');
      if (type !== 'string') fail(`type mismatch: LIKE on non-text column '${name}'`);
      return { kind: 'like', column: name, pattern, negated: op === 'NOT LIKE' };
    }
    case 'IN':
    case 'NOT IN': {
      const list =
        isNode(node.right) && Array.isArray(node.right.value)
          ? (node.right.value as unknown[])
          : undefined;
      if (list === undefined || list.length === 0) fail('IN needs a list of literals');
      return {
        kind: 'in',
        column: name,
        values: list.map((item) => literalOfType(item, name, columns)),
        negated: op === 'NOT IN',
      };
    }
    case 'IS':
    case 'IS NOT': {
      if (!isNode(node.right) || node.right.type !== 'null')
        fail('IS only tests NULL (IS [NOT] NULL)');
      return { kind: 'null', column: name, negated: op === 'IS NOT' };
    }
    case 'BETWEEN':
    case 'NOT BETWEEN': {
      const bounds =
        isNode(node.right) && Array.isArray(node.right.value)
          ? (node.right.value as unknown[])
          : [];
      if (bounds.length !== 2) fail('BETWEEN needs two literals');
      return {
        kind: 'between',
        column: name,
        low: literalOfType(bounds[0], name, columns),
        high: literalOfType(bounds[1], name, columns),
        negated: op === 'NOT BETWEEN',
      };
    }
    case 'REGEXP': {
      const pattern = literal(node.right);
      if (typeof pattern !== 'string') fail('REGEXP needs a string pattern');
      if (type !== 'string') fail(`type mismatch: REGEXP on non-text column '${name}'`);
      return { kind: 'regexp', column: name, pattern };
    }
    default:
      return fail(`operator ${op} is not supported`);
  }
}

function parseOrderBy(
  orderby: unknown,
  column: (node: unknown, where: string) => string,
): Array<{ column: string; descending: boolean }> {
  if (orderby === null || orderby === undefined) return [];
  if (!Array.isArray(orderby)) fail('unsupported ORDER BY');
  return (orderby as unknown[]).map((entry) => {
    if (!isNode(entry)) fail('unsupported ORDER BY');
    return {
      column: column(entry.expr, 'ORDER BY'),
      descending: typeof entry.type === 'string' && entry.type.toUpperCase() === 'DESC',
    };
  });
}

function parseLimit(limit: unknown): { limit?: number; offset?: number } {
  if (limit === null || limit === undefined) return {};
  if (!isNode(limit) || !Array.isArray(limit.value)) fail('unsupported LIMIT');
  const values = limit.value as unknown[];
  if (values.length === 0) return {};
  if (limit.seperator === ',') fail('LIMIT offset, count is not supported (use LIMIT n OFFSET m)');
  const numbers = values.map((value) => {
    const n = literal(value);
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
      fail('LIMIT and OFFSET take non-negative integers');
    }
    return n;
  });
  const [count = 0, offset] = numbers;
  return { limit: count, ...(offset === undefined ? {} : { offset }) };
}
