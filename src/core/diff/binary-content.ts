/**
 * git's text/binary decision (`buffer_is_binary`): content is binary when a NUL byte occurs in
 * its first 8000 bytes. Binary files get `Binary files ... differ` instead of hunks, zero line
 * counts, and a different chunking in rename similarity; blame refuses them.
 */
const FIRST_FEW_BYTES = 8000;

export function isBinaryContent(content: Uint8Array): boolean {
  const end = Math.min(content.length, FIRST_FEW_BYTES);
  return content.subarray(0, end).indexOf(0) >= 0;
}
