/**
 * Tree entry modes as git writes them in tree objects (octal text, trees without a leading 0).
 * The REST API shows directories as `040000`; that mapping lives at the edge (`apiMode`).
 */
export const FileMode = {
  Regular: '100644',
  Executable: '100755',
  Symlink: '120000',
  Tree: '40000',
  Gitlink: '160000',
} as const;

export type FileMode = (typeof FileMode)[keyof typeof FileMode];

export function isTreeMode(mode: string): boolean {
  return mode === FileMode.Tree || mode === '040000';
}

/** Modes a blob entry may carry (a file, an executable or a symlink). */
export function isBlobMode(mode: string): boolean {
  return mode === FileMode.Regular || mode === FileMode.Executable || mode === FileMode.Symlink;
}

/** The six-digit form the REST API uses (`040000` for trees). */
export function apiMode(mode: string): string {
  return mode.length === 5 ? `0${mode}` : mode;
}
