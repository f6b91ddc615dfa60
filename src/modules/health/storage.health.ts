/**
 * The storage check of /health: a real probe of the configured store. For `disk`, the data
 * directory must exist (it is created if missing) and accept a small file written and fsynced
 * within 2 s; `memory` has nothing that can fail. The postgres adapter is not part of this build,
 * so a server configured for it reports storage unhealthy rather than pretending.
 */
import { mkdir, open } from 'node:fs/promises';
import * as path from 'node:path';
import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { StorageConfig } from '../../config/config.schema';
import { type CheckOutcome, runCheck, withTimeout } from './health-check';

const PROBE_TIMEOUT_MS = 2000;
const PROBE_FILE = '.health-probe';

@Injectable()
export class StorageHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly storage: StorageConfig,
  ) {}

  check(): Promise<HealthIndicatorResult> {
    return runCheck(this.indicators, 'storage', () => this.probe());
  }

  private async probe(): Promise<CheckOutcome> {
    switch (this.storage.driver) {
      case 'memory':
        return { state: 'healthy', message: 'memory driver (nothing persisted)' };
      case 'disk':
        await withTimeout(
          writeProbe(path.resolve(this.storage.path)),
          PROBE_TIMEOUT_MS,
          `disk probe took longer than ${PROBE_TIMEOUT_MS} ms`,
        );
        return { state: 'healthy', message: 'disk driver: probe written and fsynced' };
      case 'postgres':
        return {
          state: 'unhealthy',
          message: 'the postgres driver is not available in this build',
        };
    }
  }
}

async function writeProbe(directory: string): Promise<void> {
  await mkdir(directory, { recursive: true });
  const handle = await open(path.join(directory, PROBE_FILE), 'w');
  try {
    await handle.writeFile(new Date().toISOString());
    await handle.sync();
  } finally {
    await handle.close();
  }
}
