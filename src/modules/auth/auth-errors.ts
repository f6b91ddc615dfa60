/**
 * The failures of authentication, users, keys, roles and grants (api-contract.md §2, §14), as
 * domain errors: a stable code and a kind the one error filter maps to a status. The lockout
 * (429 with Retry-After) is an HttpError because no kind means "too many requests".
 */
import { GitError } from '../../core';
import { HttpError } from '../../http/http-error';

export class UnauthorizedError extends GitError {
  readonly code = 'UNAUTHORIZED';
  readonly kind = 'unauthenticated';
  constructor(message = 'Authentication required') {
    super(message);
  }
}

export class ForbiddenError extends GitError {
  readonly code = 'FORBIDDEN';
  readonly kind = 'permission-denied';
  constructor(message = 'Insufficient permissions', details?: Record<string, unknown>) {
    super(message, details);
  }
}

/** Same message for every login failure, so the answer reveals nothing about the account. */
export class InvalidCredentialsError extends GitError {
  readonly code = 'INVALID_CREDENTIALS';
  readonly kind = 'unauthenticated';
  constructor() {
    super('Invalid credentials');
  }
}

export class MissingAuthHeaderError extends GitError {
  readonly code = 'MISSING_AUTH_HEADER';
  readonly kind = 'invalid-argument';
  constructor() {
    super('Authorization header required');
  }
}

export class TokenRefreshFailedError extends GitError {
  readonly code = 'TOKEN_REFRESH_FAILED';
  readonly kind = 'unauthenticated';
  constructor(reason: string) {
    super(`token refresh failed: ${reason}`);
  }
}

export class ApiKeyNotFoundError extends GitError {
  readonly code = 'API_KEY_NOT_FOUND';
  readonly kind = 'not-found';
  constructor() {
    super('API key not found');
  }
}

export class UserNotFoundError extends GitError {
  readonly code = 'USER_NOT_FOUND';
  readonly kind = 'not-found';
  constructor() {
    super('User not found');
  }
}

export class InvalidUsernameError extends GitError {
  readonly code = 'INVALID_USERNAME';
  readonly kind = 'invalid-argument';
  constructor(username: string) {
    super(
      `invalid username '${username.slice(0, 64)}': 3–32 characters of letters, digits, '.', '_' ` +
        `or '-', starting with a letter or digit, and not a reserved name`,
    );
  }
}

export class InvalidEmailError extends GitError {
  readonly code = 'INVALID_EMAIL';
  readonly kind = 'invalid-argument';
  constructor() {
    super('invalid email address');
  }
}

export class InvalidPasswordError extends GitError {
  readonly code = 'INVALID_PASSWORD';
  readonly kind = 'invalid-argument';
  constructor() {
    super('password must be 12–1024 bytes');
  }
}

export class UserCreationFailedError extends GitError {
  readonly code = 'USER_CREATION_FAILED';
  readonly kind = 'conflict';
  constructor(what: 'username' | 'email', value: string) {
    super(`${what} '${value}' already exists`);
  }
}

export class CannotDeleteSelfError extends GitError {
  readonly code = 'CANNOT_DELETE_SELF';
  readonly kind = 'invalid-argument';
  constructor() {
    super('cannot delete your own user');
  }
}

export class CannotDeactivateSelfError extends GitError {
  readonly code = 'CANNOT_DEACTIVATE_SELF';
  readonly kind = 'invalid-argument';
  constructor() {
    super('cannot deactivate your own user');
  }
}

export class LastAdminError extends GitError {
  readonly code = 'LAST_ADMIN';
  readonly kind = 'conflict';
  constructor() {
    super('the last active user holding system:admin cannot be removed');
  }
}

export class RoleAssignmentFailedError extends GitError {
  readonly code = 'ROLE_ASSIGNMENT_FAILED';
  readonly kind = 'invalid-argument';
  constructor(role: string) {
    super(`role '${role.slice(0, 64)}' does not exist`);
  }
}

export class PermissionGrantFailedError extends GitError {
  readonly code = 'PERMISSION_GRANT_FAILED';
  readonly kind = 'invalid-argument';
  constructor(permission: string) {
    super(`'${permission.slice(0, 64)}' is not a repository permission (repo:* or webhook:*)`);
  }
}

export class RoleNotFoundError extends GitError {
  readonly code = 'ROLE_NOT_FOUND';
  readonly kind = 'not-found';
  constructor(role: string) {
    super(`role '${role.slice(0, 64)}' not found`);
  }
}

export class RoleExistsError extends GitError {
  readonly code = 'ROLE_EXISTS';
  readonly kind = 'conflict';
  constructor(role: string) {
    super(`role '${role}' already exists`);
  }
}

export class RoleBuiltInError extends GitError {
  readonly code = 'ROLE_BUILT_IN';
  readonly kind = 'invalid-argument';
  constructor() {
    super('built-in roles cannot be changed');
  }
}

/** 400 INVALID_REQUEST with the failing fields, as the validation pipe writes it. */
export class InvalidAuthRequestError extends GitError {
  readonly code = 'INVALID_REQUEST';
  readonly kind = 'invalid-argument';
  constructor(field: string, message: string) {
    super(`${field}: ${message}`, { fields: [{ field, message }] });
  }
}

export class InvalidParameterError extends GitError {
  readonly code = 'INVALID_PARAMETER';
  readonly kind = 'invalid-argument';
  constructor(name: string, message: string) {
    super(`${name}: ${message}`, { parameter: name });
  }
}

export function loginLockout(until: number, now: number): HttpError {
  const seconds = Math.max(1, Math.ceil((until - now) / 1000));
  return new HttpError(
    429,
    'LOGIN_LOCKOUT',
    `Too many login attempts. Try again after ${new Date(until).toISOString()}`,
    undefined,
    { 'Retry-After': String(seconds) },
  );
}
