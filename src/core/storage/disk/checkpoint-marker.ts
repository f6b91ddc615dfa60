/**
 * `govc/checkpoint`: what the last checkpoint of a repository covered. Written last in a
 * checkpoint (after packs, refs and reflogs are durable), so recovery replays exactly the
 * journal records after `seq`; replaying one it covered would be harmless anyway (batches
 * are idempotent, change-batch.ts).
 *
 * `head: 'placeholder'` says the HEAD file only exists for git: the ref store had no HEAD
 * (a repository the engine has not initialised), so none is loaded.
 */

export interface CheckpointMarker {
  readonly seq: number;
  readonly head: 'stored' | 'placeholder';
}

/** What a repository without a marker (one git made, not us) is read as. */
export const NO_MARKER: CheckpointMarker = { seq: 0, head: 'stored' };

export function formatCheckpointMarker(marker: CheckpointMarker): string {
  return `${JSON.stringify({ version: 1, seq: marker.seq, head: marker.head })}\n`;
}

/** Parses a marker; throws Error on anything else (the caller reports the repository corrupt). */
export function parseCheckpointMarker(text: string): CheckpointMarker {
  const value: unknown = JSON.parse(text);
  if (typeof value === 'object' && value !== null) {
    const { version, seq, head } = value as { version?: unknown; seq?: unknown; head?: unknown };
    if (
      version === 1 &&
      Number.isSafeInteger(seq) &&
      (seq as number) >= 0 &&
      (head === 'stored' || head === 'placeholder')
    ) {
      return { seq: seq as number, head };
    }
  }
  throw new Error('checkpoint marker is not a version 1 marker');
}
