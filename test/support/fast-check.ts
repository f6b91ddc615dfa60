/**
 * One place that fixes fast-check's randomness, so every property test is reproducible: the
 * seed is 424242 unless `FC_SEED` overrides it, and a failure names the seed (and the shrink
 * path) needed to replay it. Use as `fc.assert(property, fcParams(200))`.
 */
import fc from 'fast-check';

export const DEFAULT_FC_SEED = 424242;

/** The seed every property runs with: `FC_SEED` when set to an integer, else the default. */
export function fcSeed(): number {
  const raw = process.env.FC_SEED;
  if (raw === undefined || raw.trim() === '') return DEFAULT_FC_SEED;
  const seed = Number(raw);
  if (!Number.isSafeInteger(seed)) throw new Error(`FC_SEED must be an integer, got '${raw}'`);
  return seed;
}

/** Builds the failure message fast-check would throw, plus how to replay exactly this run. */
function reportWithReplayHint(details: fc.RunDetails<unknown>): void {
  if (!details.failed) return;
  const report = fc.defaultReportMessage(details) ?? 'property failed';
  const replay = `Replay with FC_SEED=${details.seed} (path "${details.counterexamplePath ?? ''}")`;
  throw new Error(`${report}\n${replay}`, { cause: details.errorInstance });
}

/**
 * Parameters for `fc.assert`: fixed seed and optional run count. `FC_VERBOSE=1` also lists every
 * failing value met while shrinking (off by default: generated repositories make it huge).
 */
export function fcParams(numRuns?: number): fc.Parameters<unknown> {
  return {
    seed: fcSeed(),
    ...(numRuns === undefined ? {} : { numRuns }),
    verbose: process.env.FC_VERBOSE === '1' ? fc.VerbosityLevel.Verbose : fc.VerbosityLevel.None,
    reporter: reportWithReplayHint,
  };
}
