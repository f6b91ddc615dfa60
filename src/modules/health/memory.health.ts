/**
 * The memory check of /health: V8 heap in use against health.memory_limit_percent of the heap
 * limit; at or above it the check is unhealthy (the process is close to running out of heap).
 */
import { getHeapStatistics } from 'node:v8';
import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { HealthConfig } from '../../config/config.schema';
import { runCheck } from './health-check';

const MIB = 2 ** 20;

@Injectable()
export class MemoryHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly health: HealthConfig,
  ) {}

  check(): Promise<HealthIndicatorResult> {
    return runCheck(this.indicators, 'memory', () => {
      const { used_heap_size: used, heap_size_limit: limit } = getHeapStatistics();
      const percent = (used / limit) * 100;
      const message = `heap ${(used / MIB).toFixed(1)} MiB of ${(limit / MIB).toFixed(0)} MiB (${percent.toFixed(1)}%)`;
      return {
        state: percent >= this.health.memory_limit_percent ? 'unhealthy' : 'healthy',
        message,
      };
    });
  }
}
