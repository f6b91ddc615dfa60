/** Errors of the repository and commit routes, for their OpenAPI descriptions (§3.1, §3.2). */
import type { EndpointError } from '../../http/endpoint.decorator';
import { REPO_READ_ERRORS, REPO_WRITE_ERRORS, REVISION_ERRORS } from '../git-core/route-errors';
import { PRE_COMMIT_HOOK_ERRORS } from '../hooks/server-hooks/server-hook-route-errors';

export const CREATE_REPO_ERRORS: readonly EndpointError[] = [
  { status: 400, codes: ['INVALID_REQUEST', 'INVALID_REPO_ID'] },
  { status: 409, codes: ['REPO_EXISTS'] },
  { status: 413, codes: ['REQUEST_TOO_LARGE'] },
  { status: 415, codes: ['UNSUPPORTED_CONTENT_TYPE'] },
  { status: 503, codes: ['MAX_REPOS_REACHED', 'REPO_BUSY', 'STORAGE_UNAVAILABLE'] },
];
export const LIST_REPOS_ERRORS: readonly EndpointError[] = [
  { status: 400, codes: ['INVALID_LIMIT', 'INVALID_OFFSET'] },
  { status: 503, codes: ['STORAGE_UNAVAILABLE'] },
];
export const COMMIT_ERRORS: readonly EndpointError[] = [
  ...REPO_WRITE_ERRORS,
  { status: 400, codes: ['INVALID_COMMIT_MESSAGE', 'INVALID_EMAIL', 'COMMIT_FAILED'] },
  ...PRE_COMMIT_HOOK_ERRORS,
];
export const LOG_ERRORS: readonly EndpointError[] = [
  ...REPO_READ_ERRORS,
  { status: 400, codes: ['INVALID_LIMIT', 'INVALID_OFFSET', 'INVALID_PATH', 'INVALID_FILE_PATH'] },
  ...REVISION_ERRORS,
];
export const SHOW_ERRORS: readonly EndpointError[] = [
  ...REPO_READ_ERRORS,
  { status: 400, codes: ['INVALID_REF', 'AMBIGUOUS_REF'] },
  { status: 404, codes: ['COMMIT_NOT_FOUND'] },
];
