/**
 * Login, token refresh, logout, whoami and the CSRF token (api-contract.md §2). Login is public,
 * throttled per client IP and per username (429 LOGIN_LOCKOUT), answers every failure with the
 * same 401 INVALID_CREDENTIALS after the same argon2 work, and records success and failure in
 * the audit log. Refresh reads the Bearer token itself (400 without one, 401 otherwise).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Body, Controller, Get, Headers, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { API_V1 } from '../../http/api-version';
import { ANY_AUTHENTICATED, Endpoint } from '../../http/endpoint.decorator';
import { SuccessResponseDto } from '../../http/success-response.dto';
import { AccountsService } from './accounts.service';
import { AuditLog } from './audit-log';
import { AuditAction, type AuditRequest, auditEntry } from './audit-context';
import {
  InvalidCredentialsError,
  MissingAuthHeaderError,
  TokenRefreshFailedError,
  UnauthorizedError,
  loginLockout,
} from './auth-errors';
import { countAuthFailure } from './auth-failures';
import { AuthFeatureRoute } from './auth.guard';
import { AuthenticationService } from './authentication.service';
import {
  AuthenticatedUserDto,
  CsrfTokenResponseDto,
  LoginDto,
  LoginResponseDto,
  TokenResponseDto,
} from './dto/auth.dto';
import { LoginThrottle } from './login-throttle';
import type { Principal } from './principal';
import { CurrentPrincipal } from './principal';

const ERR_401 = { status: 401, codes: ['UNAUTHORIZED'] };

@ApiTags('auth')
@AuthFeatureRoute()
@Controller(`${API_V1}/auth`)
export class AuthController {
  constructor(
    private readonly accounts: AccountsService,
    private readonly authentication: AuthenticationService,
    private readonly throttle: LoginThrottle,
    private readonly audit: AuditLog,
  ) {}

  @Post('login')
  @AuditAction(null)
  @Endpoint({
    summary: 'Log in with username and password; returns a JWT',
    operationId: 'authLogin',
    public: true,
    responses: [{ status: 200, type: LoginResponseDto, description: 'Logged in' }],
    errors: [
      { status: 401, codes: ['INVALID_CREDENTIALS'] },
      { status: 429, codes: ['LOGIN_LOCKOUT'] },
    ],
  })
  async login(@Req() request: AuditRequest, @Body() body: LoginDto): Promise<LoginResponseDto> {
    const ip = request.ip ?? '';
    const now = Date.now();
    const locked = this.throttle.lockedUntil(ip, body.username, now);
    if (locked !== undefined) {
      countAuthFailure('locked');
      this.recordLogin(request, body.username, 'denied', 429);
      throw loginLockout(locked, now);
    }
    let user;
    try {
      user = await this.accounts.checkPassword(body.username, body.password);
    } catch (error) {
      if (error instanceof InvalidCredentialsError) {
        countAuthFailure('bad_password');
        this.throttle.fail(ip, body.username);
        this.recordLogin(request, body.username, 'failure', 401);
      }
      throw error;
    }
    this.throttle.succeed(ip, body.username);
    const issued = await this.authentication.issueToken(user);
    const principal: Principal = {
      id: user.id,
      username: user.username,
      email: user.email,
      authMethod: 'jwt',
      tokenId: issued.claims.jti,
    };
    request.principal = principal;
    this.audit.record(
      auditEntry(request, 'auth.login', 'success', 200, { target: { type: 'user', id: user.id } }),
    );
    return {
      token: issued.token,
      expires_at: issued.expiresAt,
      user: this.accounts.authenticatedUser(principal, issued.claims),
    };
  }

  @Post('refresh')
  @AuditAction('auth.refresh')
  @Endpoint({
    summary: 'Exchange a valid JWT for a fresh one (new jti)',
    operationId: 'authRefresh',
    public: true,
    responses: [{ status: 200, type: TokenResponseDto, description: 'A fresh token' }],
    errors: [
      { status: 400, codes: ['MISSING_AUTH_HEADER'] },
      { status: 401, codes: ['TOKEN_REFRESH_FAILED'] },
    ],
  })
  async refresh(@Headers('authorization') authorization?: string): Promise<TokenResponseDto> {
    if (authorization === undefined || authorization.trim() === '')
      throw new MissingAuthHeaderError();
    const match = /^bearer\s+(\S+)\s*$/i.exec(authorization);
    if (match === null) throw new TokenRefreshFailedError('a Bearer JWT is required');
    const result = this.authentication.authenticate(match[1] as string);
    if (result.principal === null || result.principal.authMethod !== 'jwt') {
      countAuthFailure(result.principal === null ? result.reason : 'invalid_token');
      throw new TokenRefreshFailedError(
        result.principal === null
          ? 'invalid, expired or revoked token'
          : 'API keys cannot be refreshed',
      );
    }
    const issued = await this.authentication.issueToken(
      this.accounts.requireUser(result.principal.id),
    );
    return { token: issued.token, expires_at: issued.expiresAt };
  }

  @Post('logout')
  @AuditAction('auth.logout')
  @Endpoint({
    summary: 'Revoke the JWT used for this request (until it expires)',
    operationId: 'authLogout',
    permission: ANY_AUTHENTICATED,
    responses: [{ status: 200, type: SuccessResponseDto, description: 'Logged out' }],
    errors: [ERR_401],
  })
  async logout(@CurrentPrincipal() principal: Principal | null): Promise<SuccessResponseDto> {
    if (principal?.authMethod !== 'jwt' || principal.tokenId === undefined) {
      throw new UnauthorizedError('logout needs a Bearer JWT');
    }
    await this.accounts.revokeSession(principal.tokenId);
    return { status: 'success', message: 'logged out' };
  }

  @Get('whoami')
  @Endpoint({
    summary: 'The authenticated caller, with the token or key used',
    operationId: 'authWhoami',
    permission: ANY_AUTHENTICATED,
    responses: [{ status: 200, type: AuthenticatedUserDto, description: 'The caller' }],
    errors: [ERR_401],
  })
  whoami(@Req() request: AuditRequest): AuthenticatedUserDto {
    return this.describe(request);
  }

  @Get('me')
  @Endpoint({
    summary: 'The authenticated caller (alias of whoami)',
    operationId: 'authMe',
    permission: ANY_AUTHENTICATED,
    responses: [{ status: 200, type: AuthenticatedUserDto, description: 'The caller' }],
    errors: [ERR_401],
  })
  me(@Req() request: AuditRequest): AuthenticatedUserDto {
    return this.describe(request);
  }

  @Get('csrf-token')
  @AuthFeatureRoute(false)
  @Endpoint({
    summary: 'A CSRF token (never checked: credentials travel only in headers)',
    operationId: 'authCsrfToken',
    public: true,
    responses: [{ status: 200, type: CsrfTokenResponseDto, description: 'A token' }],
  })
  csrfToken(
    @Res({ passthrough: true }) response: Response,
    @Headers('x-session-id') session?: string,
  ): CsrfTokenResponseDto {
    const token = randomBytes(32).toString('base64url');
    response.setHeader('X-CSRF-Token', token);
    if (session === undefined || session === '') response.setHeader('X-Session-ID', randomUUID());
    return { csrf_token: token, expires_in: 3600 };
  }

  private describe(request: AuditRequest): AuthenticatedUserDto {
    const principal = request.principal;
    if (principal === undefined || principal === null) throw new UnauthorizedError();
    const secret = /^bearer\s+(\S+)/i.exec(request.headers.authorization ?? '')?.[1];
    const claims =
      principal.authMethod === 'jwt' && secret !== undefined
        ? this.authentication.authenticate(secret)
        : undefined;
    return this.accounts.authenticatedUser(
      principal,
      claims !== undefined && 'claims' in claims ? claims.claims : undefined,
    );
  }

  private recordLogin(
    request: AuditRequest,
    username: string,
    result: 'failure' | 'denied',
    status: number,
  ): void {
    this.audit.record(
      auditEntry(request, 'auth.login_failed', result, status, {
        target: { type: 'user', id: username.slice(0, 64) },
      }),
    );
  }
}
