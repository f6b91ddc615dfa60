/**
 * A binary heap of integers (dense commit indexes) ordered by two numeric keys: the larger
 * `primary` first, then the smaller `secondary` first.
 *
 * Walks use it as git's prio_queue: primary = committer time or generation, secondary = an
 * insertion counter, which makes equal keys come out first-in first-out exactly as git does.
 * Keys live in parallel arrays beside the values, so comparisons never call back into the graph.
 */
export class PriorityQueue {
  private readonly values: number[] = [];
  private readonly primaries: number[] = [];
  private readonly secondaries: number[] = [];

  get size(): number {
    return this.values.length;
  }

  push(value: number, primary: number, secondary: number): void {
    const values = this.values;
    const primaries = this.primaries;
    const secondaries = this.secondaries;
    let i = values.length;
    values.push(value);
    primaries.push(primary);
    secondaries.push(secondary);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pp = primaries[parent]!;
      if (pp > primary || (pp === primary && secondaries[parent]! <= secondary)) break;
      values[i] = values[parent]!;
      primaries[i] = pp;
      secondaries[i] = secondaries[parent]!;
      i = parent;
    }
    values[i] = value;
    primaries[i] = primary;
    secondaries[i] = secondary;
  }

  /** The value that `pop` would return, or -1 when empty. */
  peek(): number {
    return this.values.length === 0 ? -1 : this.values[0]!;
  }

  /** The primary key of the top entry (only meaningful when not empty). */
  peekPrimary(): number {
    return this.primaries[0]!;
  }

  /** Removes and returns the top value, or -1 when empty. */
  pop(): number {
    const values = this.values;
    const primaries = this.primaries;
    const secondaries = this.secondaries;
    const n = values.length;
    if (n === 0) return -1;
    const top = values[0]!;
    const lastValue = values.pop()!;
    const lastPrimary = primaries.pop()!;
    const lastSecondary = secondaries.pop()!;
    const size = n - 1;
    if (size === 0) return top;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= size) break;
      const right = child + 1;
      if (
        right < size &&
        (primaries[right]! > primaries[child]! ||
          (primaries[right] === primaries[child] && secondaries[right]! < secondaries[child]!))
      ) {
        child = right;
      }
      const cp = primaries[child]!;
      if (cp < lastPrimary || (cp === lastPrimary && secondaries[child]! >= lastSecondary)) break;
      values[i] = values[child]!;
      primaries[i] = cp;
      secondaries[i] = secondaries[child]!;
      i = child;
    }
    values[i] = lastValue;
    primaries[i] = lastPrimary;
    secondaries[i] = lastSecondary;
    return top;
  }
}
