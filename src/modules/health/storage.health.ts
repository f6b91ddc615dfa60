/**
 * The storage check of /health: the configured driver's own probe (api-contract.md §12) — a
 * small file written and fsynced for `disk`, nothing that can fail for `memory` — within 2 s.
 * A driver that failed to open is unhealthy; one standing in for a driver that is not wired in
 * yet is a warning (200 degraded). Without a storage owner there is nothing to probe, and the
 * check says so.
 */
import { Injectable, Optional } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { runCheck, withTimeout } from './health-check';
import { StorageProbe } from './storage-probe';

const PROBE_TIMEOUT_MS = 2000;

@Injectable()
export class StorageHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    @Optional() private readonly storage?: StorageProbe,
  ) {}

  check(): Promise<HealthIndicatorResult> {
    return runCheck(this.indicators, 'storage', async () => {
      if (!this.storage) return { state: 'healthy', message: 'no storage is wired in' };
      const report = await withTimeout(
        this.storage.probe(),
        PROBE_TIMEOUT_MS,
        `storage probe took longer than ${PROBE_TIMEOUT_MS} ms`,
      );
      return { state: report.warning === true ? 'warning' : 'healthy', message: report.message };
    });
  }
}
