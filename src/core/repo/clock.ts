/**
 * Where the repository gets "now" for commit, tag and reflog times. Injected so tests (and
 * TestRepo) get deterministic ids; git times have second precision.
 */
export interface Clock {
  /** Seconds since the Unix epoch (an integer). */
  now(): number;
}

export const systemClock: Clock = {
  now: () => Math.floor(Date.now() / 1000),
};
