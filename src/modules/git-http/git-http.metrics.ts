/**
 * The smart-HTTP metrics (api-contract.md §12): requests by service and result, pack bytes by
 * direction (`upload` = sent to fetching clients, `receive` = pushed objects, inflated).
 */
import { Injectable } from '@nestjs/common';
import { InjectMetric, makeCounterProvider } from '@willsoto/nestjs-prometheus';
import type { Counter } from 'prom-client';

export const GIT_REQUESTS_TOTAL = 'govc_git_requests_total';
export const GIT_PACK_BYTES_TOTAL = 'govc_git_pack_bytes_total';

export const GIT_HTTP_METRIC_PROVIDERS = [
  makeCounterProvider({
    name: GIT_REQUESTS_TOTAL,
    help: 'Git smart-HTTP requests by service and result',
    labelNames: ['service', 'result'],
  }),
  makeCounterProvider({
    name: GIT_PACK_BYTES_TOTAL,
    help: 'Pack bytes sent to fetching clients (upload) and received from pushes (receive)',
    labelNames: ['direction'],
  }),
];

@Injectable()
export class GitHttpMetrics {
  constructor(
    @InjectMetric(GIT_REQUESTS_TOTAL) private readonly requests: Counter<string>,
    @InjectMetric(GIT_PACK_BYTES_TOTAL) private readonly bytes: Counter<string>,
  ) {}

  request(service: string, result: string): void {
    this.requests.inc({ service, result });
  }

  packBytes(direction: 'upload' | 'receive', count: number): void {
    if (count > 0) this.bytes.inc({ direction }, count);
  }
}
