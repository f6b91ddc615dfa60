/**
 * The per-request budgets of api-contract.md §5.1: bytes of blob content read and wall time.
 * Searches check it between files (and commits); when it runs out they stop and report
 * `truncated: true` with what they found so far.
 */
export interface BudgetLimits {
  readonly maxBytes: number;
  /** Milliseconds. */
  readonly timeout: number;
}

export class SearchBudget {
  private bytes = 0;
  private readonly deadline: number;
  private exhausted = false;

  constructor(
    private readonly limits: BudgetLimits,
    private readonly now: () => number = Date.now,
  ) {
    this.deadline = now() + limits.timeout;
  }

  /** True when the budget ran out (and stays so). */
  get truncated(): boolean {
    return this.exhausted;
  }

  /** Accounts `size` bytes about to be read; false (and truncated) if that is over budget. */
  spend(size: number): boolean {
    if (this.exhausted) return false;
    if (this.bytes + size > this.limits.maxBytes || this.now() > this.deadline) {
      this.exhausted = true;
      return false;
    }
    this.bytes += size;
    return true;
  }

  /** False (and truncated) once the time is up. */
  inTime(): boolean {
    if (!this.exhausted && this.now() > this.deadline) this.exhausted = true;
    return !this.exhausted;
  }
}
