/**
 * Gauges whose value lives in a service (open transactions, loaded repositories, open streams)
 * are read when /metrics is scraped rather than kept in step on every change: the service adds a
 * source function at start and removes it at shutdown, and the gauge's `collect` sums the
 * sources of its name (several only when tests run several apps in one process).
 */
const sources = new Map<string, Set<() => number>>();

/** Adds `read` as a source of gauge `name`; returns the function that removes it. */
export function addGaugeSource(name: string, read: () => number): () => void {
  let set = sources.get(name);
  if (set === undefined) {
    set = new Set();
    sources.set(name, set);
  }
  set.add(read);
  return () => {
    set.delete(read);
  };
}

/** The sum of the current sources of gauge `name` (0 without any). */
export function sumGaugeSources(name: string): number {
  let total = 0;
  for (const read of sources.get(name) ?? []) total += read();
  return total;
}
