/**
 * The errors repository routes share, for their OpenAPI descriptions (api-contract.md §0.2):
 * every route under /repos/:repo_id can answer these, each route adds its own.
 */
import type { EndpointError } from '../../http/endpoint.decorator';

/** Any repository route: bad query, unknown repository, storage down, too slow. */
export const REPO_READ_ERRORS: readonly EndpointError[] = [
  { status: 400, codes: ['INVALID_REQUEST'] },
  { status: 404, codes: ['REPO_NOT_FOUND'] },
  { status: 503, codes: ['STORAGE_UNAVAILABLE'] },
  { status: 504, codes: ['REQUEST_TIMEOUT'] },
];

/** Mutations add body limits, lost compare-and-swap races and a full write queue. */
export const REPO_WRITE_ERRORS: readonly EndpointError[] = [
  ...REPO_READ_ERRORS,
  { status: 409, codes: ['CONCURRENT_UPDATE'] },
  { status: 413, codes: ['REQUEST_TOO_LARGE'] },
  { status: 415, codes: ['UNSUPPORTED_CONTENT_TYPE'] },
  { status: 503, codes: ['REPO_BUSY'] },
];

/** A revision parameter that is malformed, ambiguous or unknown (§0.7). */
export const REVISION_ERRORS: readonly EndpointError[] = [
  { status: 400, codes: ['INVALID_REF', 'AMBIGUOUS_REF'] },
  { status: 404, codes: ['REF_NOT_FOUND'] },
];

/** A file path that is empty or unsafe (§0.6). */
export const FILE_PATH_ERRORS: readonly EndpointError[] = [
  { status: 400, codes: ['INVALID_PATH', 'INVALID_FILE_PATH'] },
];
