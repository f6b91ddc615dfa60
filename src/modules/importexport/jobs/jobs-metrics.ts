/**
 * `govc_jobs{type,status}` (api-contract.md §12): how many jobs of each type are in each
 * status, read from the jobs services when /metrics is scraped (several only when tests run
 * several apps in one process).
 */
import { makeGaugeProvider } from '@willsoto/nestjs-prometheus';

export const JOBS_GAUGE = 'govc_jobs';

type JobCounts = () => ReadonlyArray<{ type: string; status: string; count: number }>;

const sources = new Set<JobCounts>();

/** Adds a source of job counts; returns the function that removes it. */
export function addJobCountSource(read: JobCounts): () => void {
  sources.add(read);
  return () => {
    sources.delete(read);
  };
}

export const JOBS_METRIC_PROVIDER = makeGaugeProvider({
  name: JOBS_GAUGE,
  help: 'Jobs by type and status',
  labelNames: ['type', 'status'],
  collect() {
    this.reset();
    const totals = new Map<string, { type: string; status: string; count: number }>();
    for (const read of sources) {
      for (const { type, status, count } of read()) {
        const key = `${type}\u0000${status}`;
        const entry = totals.get(key) ?? { type, status, count: 0 };
        entry.count += count;
        totals.set(key, entry);
      }
    }
    for (const { type, status, count } of totals.values()) this.set({ type, status }, count);
  },
});
