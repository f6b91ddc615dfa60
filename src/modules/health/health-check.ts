/**
 * One /health check as govc reports it (`healthy`, `warning` or `unhealthy`, a message, when and
 * how long), carried through terminus as an up/down indicator result: `warning` counts as up, so
 * the overall answer is 200 `degraded` rather than 503.
 */
import type { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { formatDuration } from '../../config/duration';

export type CheckState = 'healthy' | 'warning' | 'unhealthy';

export interface CheckOutcome {
  readonly state: CheckState;
  readonly message?: string;
}

/** What each check contributes to the /health body. */
export interface CheckDetails {
  readonly state: CheckState;
  readonly message?: string;
  readonly timestamp: string;
  readonly duration: string;
}

export async function runCheck(
  indicators: HealthIndicatorService,
  key: string,
  check: () => Promise<CheckOutcome> | CheckOutcome,
): Promise<HealthIndicatorResult> {
  const session = indicators.check(key);
  const started = performance.now();
  let outcome: CheckOutcome;
  try {
    outcome = await check();
  } catch (error) {
    outcome = { state: 'unhealthy', message: errorMessage(error) };
  }
  const details: CheckDetails = {
    state: outcome.state,
    ...(outcome.message === undefined ? {} : { message: outcome.message }),
    timestamp: new Date().toISOString(),
    duration: formatDuration(performance.now() - started),
  };
  return outcome.state === 'unhealthy' ? session.down({ ...details }) : session.up({ ...details });
}

/** Duck-typed: errors from another realm (vm contexts) fail `instanceof Error`. */
function errorMessage(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(error);
}

/** Rejects when `work` takes longer than `ms`; the timer never keeps the process alive. */
export async function withTimeout<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
    timer.unref();
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}
