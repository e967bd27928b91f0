// Hop-by-hop headers describe one connection, not the message (RFC 9110 §7.6.1): a proxy drops
// them in both directions, plus any header the Connection header names.

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

export function isHopByHop(lowerName: string): boolean {
  return HOP_BY_HOP.has(lowerName);
}

/** The end-to-end names a Connection header value lists (lower case; usually none). */
const NO_NAMES: readonly string[] = Object.freeze([]);

export function connectionOptionNames(value: string | undefined): readonly string[] {
  // The usual values name nothing: answered without splitting (this runs for every message).
  if (value === undefined || value === 'keep-alive' || value === 'close') return NO_NAMES;
  const names: string[] = [];
  for (const token of value.split(',')) {
    const name = token.trim().toLowerCase();
    if (name && !HOP_BY_HOP.has(name)) names.push(name);
  }
  return names;
}

/** Lower-case names to drop from a message with this raw header list. */
export function hopByHopNames(rawHeaders: readonly string[]): Set<string> {
  return new Set([...HOP_BY_HOP, ...connectionNamed(rawHeaders)]);
}

/** Names listed in the Connection header(s); usually none, so no set is built per message. */
function connectionNamed(rawHeaders: readonly string[]): string[] {
  const names: string[] = [];
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if ((rawHeaders[i] ?? '').toLowerCase() === 'connection') names.push(...connectionOptionNames(rawHeaders[i + 1]));
  }
  return names;
}

/**
 * The raw header list (name, value, name, value, ...) minus hop-by-hop headers and names for which
 * `drop` answers true. Names keep their case and repeated headers stay repeated, so what passes is
 * exactly what came.
 */
export function endToEndHeaders(rawHeaders: readonly string[], drop?: (lowerName: string) => boolean): string[] {
  const named = connectionNamed(rawHeaders);
  const out: string[] = [];
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i] ?? '';
    const lower = name.toLowerCase();
    if (HOP_BY_HOP.has(lower) || (named.length > 0 && named.includes(lower)) || drop?.(lower)) continue;
    out.push(name, rawHeaders[i + 1] ?? '');
  }
  return out;
}
