/** Errors of the file, diff and blame routes, for their OpenAPI descriptions (§3.2–§3.3, §4). */
import type { EndpointError } from '../../http/endpoint.decorator';
import {
  FILE_PATH_ERRORS,
  REPO_READ_ERRORS,
  REPO_WRITE_ERRORS,
  REVISION_ERRORS,
} from '../git-core/route-errors';

const FILE_NOT_FOUND: EndpointError = { status: 404, codes: ['FILE_NOT_FOUND'] };
const MISSING_PATH: EndpointError = { status: 400, codes: ['MISSING_PATH'] };

export const FILE_CONTENT_ERRORS: readonly EndpointError[] = [
  ...REPO_WRITE_ERRORS,
  ...FILE_PATH_ERRORS,
  { status: 400, codes: ['INVALID_FILE_CONTENT'] },
];
export const READ_FILE_ERRORS: readonly EndpointError[] = [
  ...REPO_READ_ERRORS,
  ...FILE_PATH_ERRORS,
  { status: 400, codes: ['IS_A_DIRECTORY'] },
  ...REVISION_ERRORS,
  FILE_NOT_FOUND,
];
export const V2_READ_FILE_ERRORS: readonly EndpointError[] = [...READ_FILE_ERRORS, MISSING_PATH];
export const TREE_ERRORS: readonly EndpointError[] = [
  ...REPO_READ_ERRORS,
  ...FILE_PATH_ERRORS,
  ...REVISION_ERRORS,
  FILE_NOT_FOUND,
];
export const REMOVE_FILE_ERRORS: readonly EndpointError[] = [
  ...REPO_WRITE_ERRORS,
  ...FILE_PATH_ERRORS,
  FILE_NOT_FOUND,
];
export const V2_REMOVE_FILE_ERRORS: readonly EndpointError[] = [
  ...REMOVE_FILE_ERRORS,
  MISSING_PATH,
];
export const MOVE_FILE_ERRORS: readonly EndpointError[] = [...FILE_CONTENT_ERRORS, FILE_NOT_FOUND];
export const DIFF_ERRORS: readonly EndpointError[] = [...REPO_READ_ERRORS, ...REVISION_ERRORS];
export const FILE_DIFF_ERRORS: readonly EndpointError[] = [
  ...REPO_READ_ERRORS,
  ...FILE_PATH_ERRORS,
  ...REVISION_ERRORS,
  FILE_NOT_FOUND,
];
export const BLAME_ERRORS: readonly EndpointError[] = FILE_DIFF_ERRORS;
