/**
 * The REST route families (api-contract.md §0.1, §4): `/api/v1` and its `/api/v2` aliases serve
 * one store; they differ only in a few bodies (v2 success envelopes carry `status: ""`, some
 * messages differ), which the response mappers decide from this value.
 */
export type ApiVersion = 'v1' | 'v2';

export const API_V1 = 'api/v1';
export const API_V2 = 'api/v2';
