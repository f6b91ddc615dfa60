/**
 * The route template Express matched (`/api/v1/repos/:repo_id`), for metric labels and logs:
 * never the raw URL, whose ids would explode label cardinality. Undefined before routing or when
 * no endpoint matched. Nest mounts module middleware as Express `all()` routes (`/{*path}`,
 * one entry per HTTP method), which set `req.route` too; Nest endpoints are registered for a
 * single method each, so a route answering several methods is middleware and is skipped.
 */

/** The parts of a request these functions read (an Express Request or a bare IncomingMessage). */
export interface RoutedRequest {
  readonly route?: unknown;
  readonly originalUrl?: string;
  readonly url?: string;
}

/** Routes are created once at start; remember each one's answer. */
const templates = new WeakMap<object, string | undefined>();

export function routeTemplate(request: RoutedRequest): string | undefined {
  const route = request.route;
  if (typeof route !== 'object' || route === null) return undefined;
  if (templates.has(route)) return templates.get(route);
  const { path, methods } = route as { path?: unknown; methods?: object };
  const template =
    typeof path === 'string' && !(methods && Object.keys(methods).length > 1) ? path : undefined;
  templates.set(route, template);
  return template;
}

/** The path of the URL as the client sent it, without the query. */
export function requestPath(request: RoutedRequest): string {
  const url = request.originalUrl || request.url || '/';
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}
