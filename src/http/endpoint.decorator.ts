/**
 * One decorator per route handler that states everything about it: the OpenAPI operation
 * (summary, responses, the flat error body as the default response), the success status, the
 * permission the rbac guard will require, and whether server.request_timeout applies.
 *
 *   @Get(':repo_id')
 *   @Endpoint({ summary: 'Get a repository', permission: 'repo:read',
 *               responses: [{ status: 200, type: RepoResponseDto, description: 'The repository' }],
 *               errors: [{ status: 404, codes: ['REPO_NOT_FOUND'] }] })
 *
 * Each documented error status answers the shared ErrorResponse schema; its description lists
 * the codes (api-contract.md §14) a client may see with it.
 */
import { HttpCode, SetMetadata, type Type, applyDecorators } from '@nestjs/common';
import {
  ApiDefaultResponse,
  ApiExtension,
  ApiOperation,
  ApiResponse,
  type ApiResponseCommonMetadata,
} from '@nestjs/swagger';
import { ErrorResponseDto } from './error-response.dto';
import { NoRequestTimeout } from './request-timeout';

/** Metadata key holding the permission a route needs (read by the rbac guard). */
export const ENDPOINT_PERMISSION = 'govc:endpoint-permission';
/** Metadata key marking a route that needs no credential (api-contract.md §0.3, §12). */
export const ENDPOINT_PUBLIC = 'govc:endpoint-public';
/** Metadata key of permissions that satisfy a route instead of its `permission`. */
export const ENDPOINT_ALSO_PERMITS = 'govc:endpoint-also-permits';
/**
 * `permission` of a route any authenticated caller may use (the contract's "any"); the handler
 * decides the rest (e.g. "owner or user:read"). A route with neither a permission nor `public`
 * is open to `system:admin` only.
 */
export const ANY_AUTHENTICATED = 'any';

/** Marks a handler or controller public: the auth guard lets it through without credentials. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(ENDPOINT_PUBLIC, true);

export interface EndpointResponse {
  readonly status: number;
  readonly description: string;
  /** A JSON body described by a DTO class. */
  readonly type?: Type<unknown>;
  readonly isArray?: boolean;
  /** Any other body, by media type (e.g. `{ 'text/plain': { schema: { type: 'string' } } }`). */
  readonly content?: ApiResponseCommonMetadata['content'];
}

/** An error status a route answers, with the codes it may carry. */
export interface EndpointError {
  readonly status: number;
  readonly codes: readonly string[];
}

export interface EndpointOptions {
  readonly summary: string;
  readonly description?: string;
  /** Overrides the generated id (controller name + method name, camelCase). */
  readonly operationId?: string;
  /** The first entry is the success response; its status becomes the handler's HTTP code. */
  readonly responses?: readonly EndpointResponse[];
  /** Error statuses and their codes; several entries of one status are merged. */
  readonly errors?: readonly EndpointError[];
  /**
   * The permission the route needs when auth is enabled (api-contract.md §0.3): a permission
   * name (checked on the route's `:repo_id` when it has one) or ANY_AUTHENTICATED.
   */
  readonly permission?: string;
  /**
   * Permissions that satisfy the route instead of `permission` ("repo:admin or webhook:write",
   * §6.1); checked the same way, on the route's `:repo_id`. A caller who cannot read the
   * repository still gets 404.
   */
  readonly alsoPermits?: readonly string[];
  /** No credential needed (login, health, version, metrics). */
  readonly public?: true;
  /** `false` for streams, git and exports, which outlive server.request_timeout. */
  readonly requestTimeout?: false;
  readonly deprecated?: boolean;
}

export function Endpoint(options: EndpointOptions): MethodDecorator {
  const decorators: Array<MethodDecorator | ClassDecorator> = [
    ApiOperation({
      summary: options.summary,
      description: options.description,
      operationId: options.operationId,
      deprecated: options.deprecated,
    }),
    ApiDefaultResponse({ type: ErrorResponseDto, description: 'Error (flat JSON, see code)' }),
  ];
  const [success] = options.responses ?? [];
  if (success) decorators.push(HttpCode(success.status));
  for (const response of options.responses ?? []) {
    const { status, description, type, isArray, content } = response;
    decorators.push(ApiResponse({ status, description, type, isArray, content }));
  }
  for (const [status, codes] of errorCodesByStatus(options.errors ?? [])) {
    decorators.push(
      ApiResponse({
        status,
        type: ErrorResponseDto,
        description: `Error; \`code\`: ${codes.join(', ')}`,
      }),
    );
  }
  if (options.permission) decorators.push(SetMetadata(ENDPOINT_PERMISSION, options.permission));
  if (options.alsoPermits?.length) {
    decorators.push(SetMetadata(ENDPOINT_ALSO_PERMITS, options.alsoPermits));
    decorators.push(ApiExtension('x-govc-also-permits', [...options.alsoPermits]));
  }
  if (options.public) decorators.push(Public());
  // What the route needs, for clients and the permission-matrix test: a permission name, `any`
  // (any credential) or `public`.
  const access = options.public ? 'public' : options.permission;
  if (access !== undefined) decorators.push(ApiExtension('x-govc-permission', access));
  if (options.requestTimeout === false) decorators.push(NoRequestTimeout());
  return applyDecorators(...decorators);
}

/** Codes per status, statuses ascending, each code once in the order first given. */
export function errorCodesByStatus(errors: readonly EndpointError[]): Array<[number, string[]]> {
  const byStatus = new Map<number, string[]>();
  for (const { status, codes } of errors) {
    const list = byStatus.get(status) ?? [];
    for (const code of codes) if (!list.includes(code)) list.push(code);
    byStatus.set(status, list);
  }
  return [...byStatus].sort(([a], [b]) => a - b);
}
