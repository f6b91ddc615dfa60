/**
 * Who a new commit is by (api-contract.md §0.8): the request's `author`/`email` when given
 * (`author` may be `{name, email}`); else the repository's stored `user.name`/`user.email`;
 * else `Unknown` / `unknown@example.com`. Name and email are decided separately. Values the
 * request gave are returned for storing as the repository's config, as govc did. Committer =
 * author; times are the server's (the engine's clock, `+0000`). Names with `<`, `>`, newline
 * or NUL are refused by the engine (400 INVALID_REQUEST); emails are checked here.
 *
 * With auth enabled, the caller's username and email come between the request and the stored
 * config: `caller` defaults to the principal of the request being served.
 */
import { isEmail } from 'class-validator';
import { DEFAULT_IDENTITY, GitError, type Identity } from '../../core';
import { currentCaller } from '../auth/request-caller';
import { USER_EMAIL, USER_NAME } from '../git-core/repository-record';
import type { CommitAuthorDto } from './dto/commit-request.dto';

const MAX_EMAIL_BYTES = 254;

export class InvalidEmailError extends GitError {
  readonly code = 'INVALID_EMAIL';
  readonly kind = 'invalid-argument';
  constructor(email: string) {
    super(`invalid email '${email}': must be a valid address of at most ${MAX_EMAIL_BYTES} bytes`, {
      email,
    });
  }
}

export interface IdentityRequest {
  readonly author?: string | CommitAuthorDto;
  readonly email?: string;
}

export interface ResolvedIdentity {
  readonly identity: Identity;
  /** Config values to store (`user.name`, `user.email`): what the request itself gave. */
  readonly config: Readonly<Record<string, string>>;
}

function given(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

export function checkEmail(email: string): void {
  if (
    Buffer.byteLength(email, 'utf8') > MAX_EMAIL_BYTES ||
    !isEmail(email, { require_tld: false, allow_ip_domain: true })
  ) {
    throw new InvalidEmailError(email);
  }
}

function callerIdentity(): Partial<Identity> | undefined {
  const principal = currentCaller();
  return principal === null ? undefined : { name: principal.username, email: principal.email };
}

export function resolveCommitIdentity(
  request: IdentityRequest,
  stored: Readonly<Record<string, string>>,
  caller: Partial<Identity> | undefined = callerIdentity(),
): ResolvedIdentity {
  const author = request.author;
  const requestName = given(typeof author === 'string' ? author : author?.name);
  const requestEmail =
    given(typeof author === 'object' ? author.email : undefined) ?? given(request.email);
  if (requestEmail !== undefined) checkEmail(requestEmail);
  const config: Record<string, string> = {};
  if (requestName !== undefined) config[USER_NAME] = requestName;
  if (requestEmail !== undefined) config[USER_EMAIL] = requestEmail;
  return {
    identity: {
      name: requestName ?? given(caller?.name) ?? given(stored[USER_NAME]) ?? DEFAULT_IDENTITY.name,
      email:
        requestEmail ?? given(caller?.email) ?? given(stored[USER_EMAIL]) ?? DEFAULT_IDENTITY.email,
    },
    config,
  };
}
