/**
 * Who is calling (api-contract.md §0.3). The global auth guard authenticates the request once
 * and stores the result on it; handlers read it with `@CurrentPrincipal()`. With
 * `auth.enabled: false` (or on a public route) there is no principal: `null`.
 */
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';

export type AuthMethod = 'jwt' | 'apikey';

export interface Principal {
  /** User id (`admin`, `user_<16 hex>`). */
  readonly id: string;
  readonly username: string;
  readonly email: string;
  readonly authMethod: AuthMethod;
  /** The API key's id when `authMethod` is `apikey`. */
  readonly apiKeyId?: string;
  /** The JWT's `jti` when `authMethod` is `jwt`. */
  readonly tokenId?: string;
}

/** The request property the auth guard fills. */
export interface RequestWithPrincipal {
  principal?: Principal | null;
  /**
   * Set by the guard beside `principal`: whether the caller holds a permission (globally, or on
   * `repoId`), read from the user store now. Absent with auth disabled (everything allowed).
   */
  principalAllows?: (permission: string, repoId?: string) => boolean;
}

/** Whether the request's caller holds `permission`; true when auth is disabled. */
export function requestAllows(
  request: RequestWithPrincipal,
  permission: string,
  repoId?: string,
): boolean {
  return request.principalAllows === undefined ? true : request.principalAllows(permission, repoId);
}

export function principalOf(request: RequestWithPrincipal): Principal | null {
  return request.principal ?? null;
}

/** Handler parameter: the authenticated caller, or null (auth disabled, public route). */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal | null =>
    principalOf(context.switchToHttp().getRequest<RequestWithPrincipal>()),
);
