/**
 * The Prometheus figures of storage and the repository pool (api-contract.md §12):
 * `govc_pool_repositories_loaded`, `govc_pool_evictions_total{reason}`,
 * `govc_pool_load_duration_seconds`, `govc_storage_flush_duration_seconds{driver}` and
 * `govc_storage_flush_errors_total{driver}`. The providers live here, beside their only writer
 * (the registry); prom-client's default registry serves them on /metrics.
 */
import { Injectable } from '@nestjs/common';
import {
  InjectMetric,
  makeCounterProvider,
  makeGaugeProvider,
  makeHistogramProvider,
} from '@willsoto/nestjs-prometheus';
import type { Counter, Gauge, Histogram } from 'prom-client';

export const POOL_REPOSITORIES_LOADED = 'govc_pool_repositories_loaded';
export const POOL_EVICTIONS_TOTAL = 'govc_pool_evictions_total';
export const POOL_LOAD_DURATION = 'govc_pool_load_duration_seconds';
export const STORAGE_FLUSH_DURATION = 'govc_storage_flush_duration_seconds';
export const STORAGE_FLUSH_ERRORS_TOTAL = 'govc_storage_flush_errors_total';

/** Why a repository left the pool (the `reason` label). */
export type EvictionReason = 'idle' | 'capacity' | 'manual';

/** 50 µs … 10 s: a durable flush is one fsync or one SQL round trip when all is well. */
const FLUSH_BUCKETS = [
  0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 10,
];
/** 1 ms … 60 s: loading ranges from an empty repository to a cold load of a large history. */
const LOAD_BUCKETS = [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 60];

export const STORAGE_METRIC_PROVIDERS = [
  makeGaugeProvider({
    name: POOL_REPOSITORIES_LOADED,
    help: 'Repositories loaded in memory (the pool)',
  }),
  makeCounterProvider({
    name: POOL_EVICTIONS_TOTAL,
    help: 'Repositories unloaded from the pool, by reason (idle, capacity, manual)',
    labelNames: ['reason'],
  }),
  makeHistogramProvider({
    name: POOL_LOAD_DURATION,
    help: 'Seconds to load a repository from storage into memory',
    buckets: LOAD_BUCKETS,
  }),
  makeHistogramProvider({
    name: STORAGE_FLUSH_DURATION,
    help: 'Seconds from a write being applied in memory to it being durable, by driver',
    labelNames: ['driver'],
    buckets: FLUSH_BUCKETS,
  }),
  makeCounterProvider({
    name: STORAGE_FLUSH_ERRORS_TOTAL,
    help: 'Writes whose flush to storage failed (answered 503), by driver',
    labelNames: ['driver'],
  }),
];

@Injectable()
export class StorageMetrics {
  constructor(
    @InjectMetric(POOL_REPOSITORIES_LOADED) private readonly loaded: Gauge<string>,
    @InjectMetric(POOL_EVICTIONS_TOTAL) private readonly evictions: Counter<string>,
    @InjectMetric(POOL_LOAD_DURATION) private readonly loads: Histogram<string>,
    @InjectMetric(STORAGE_FLUSH_DURATION) private readonly flushes: Histogram<string>,
    @InjectMetric(STORAGE_FLUSH_ERRORS_TOTAL) private readonly flushErrors: Counter<string>,
  ) {
    // Every reason and driver shows from the start, at 0, so rates work from the first scrape.
    for (const reason of ['idle', 'capacity', 'manual'] as const) this.evictions.inc({ reason }, 0);
  }

  setLoaded(count: number): void {
    this.loaded.set(count);
  }

  evicted(reason: EvictionReason): void {
    this.evictions.inc({ reason });
  }

  loadedIn(seconds: number): void {
    this.loads.observe(seconds);
  }

  flushed(driver: string, seconds: number): void {
    this.flushes.observe({ driver }, seconds);
  }

  flushFailed(driver: string): void {
    this.flushErrors.inc({ driver });
  }
}
