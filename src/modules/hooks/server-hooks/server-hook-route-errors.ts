/**
 * What a hook adds to the errors of the routes it guards, for their OpenAPI descriptions
 * (api-contract.md §6.6, §7, §8).
 */
import type { EndpointError } from '../../../http/endpoint.decorator';

/** A commit that a pre-commit hook checks: rejected, hook not startable, hooks busy. */
export const PRE_COMMIT_HOOK_ERRORS: readonly EndpointError[] = [
  { status: 409, codes: ['HOOK_REJECTED'] },
  { status: 500, codes: ['HOOK_EXECUTION_FAILED'] },
  { status: 503, codes: ['HOOK_BUSY'] },
];

/** A route that runs a scoring hook (the reality benchmark). */
export const SCORING_HOOK_ERRORS: readonly EndpointError[] = [
  { status: 500, codes: ['HOOK_EXECUTION_FAILED'] },
  { status: 503, codes: ['HOOK_BUSY'] },
];
