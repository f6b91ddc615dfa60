/**
 * Runtime figures for the `system` block of /health, under govc's Go-flavoured names: memory from
 * process.memoryUsage(), the number of garbage collections observed since start, and active libuv
 * handles and requests standing in for goroutines.
 */
import { type PerformanceEntry, PerformanceObserver } from 'node:perf_hooks';
import { Injectable, type OnModuleDestroy } from '@nestjs/common';

export interface RuntimeSnapshot {
  readonly go_version: string;
  readonly node_version: string;
  readonly num_goroutines: number;
  readonly memory: {
    readonly allocated_bytes: number;
    readonly total_allocated_bytes: number;
    readonly system_bytes: number;
    readonly num_gc: number;
  };
}

@Injectable()
export class RuntimeStats implements OnModuleDestroy {
  private collections = 0;
  private readonly observer = new PerformanceObserver((list) => {
    this.collections += list
      .getEntries()
      .filter((entry: PerformanceEntry) => entry.entryType === 'gc').length;
  });

  constructor() {
    this.observer.observe({ entryTypes: ['gc'] });
  }

  onModuleDestroy(): void {
    this.observer.disconnect();
  }

  snapshot(): RuntimeSnapshot {
    const memory = process.memoryUsage();
    return {
      go_version: `node ${process.version}`,
      node_version: process.version,
      num_goroutines: process.getActiveResourcesInfo().length,
      memory: {
        allocated_bytes: memory.heapUsed + memory.external,
        total_allocated_bytes: memory.heapTotal,
        system_bytes: memory.rss,
        num_gc: this.collections,
      },
    };
  }
}
