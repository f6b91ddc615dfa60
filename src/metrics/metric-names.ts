/** Names of the metrics this layer registers (api-contract.md §12), shared by provider and user. */
export const HTTP_REQUEST_DURATION = 'govc_http_request_duration_seconds';
export const HTTP_REQUESTS_TOTAL = 'govc_http_requests_total';
export const HTTP_REQUESTS_IN_FLIGHT = 'govc_http_requests_in_flight';
export const UPTIME_SECONDS = 'govc_uptime_seconds';
export const BUILD_INFO_METRIC = 'govc_build_info';
export const TRANSACTIONS_ACTIVE = 'govc_transactions_active';

/** Histogram buckets from 0.5 ms to 10 s. */
export const HTTP_DURATION_BUCKETS = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];
