// Port numbers and the "8900,8950-8960" list syntax shared by the reservedPorts setting and
// INTERCEPTOR_RESERVED_PORTS, so a value can be moved between the two unchanged.

export interface PortRange {
  start: number;
  end: number;
}

export const MIN_PORT = 1;
export const MAX_PORT = 65535;
/** Longest reserved-ports text accepted; a few hundred ranges is already far more than anyone needs. */
export const MAX_PORT_LIST_LENGTH = 1024;

export function isPort(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= MIN_PORT && value <= MAX_PORT;
}

export type PortListResult = { ok: true; ranges: PortRange[] } | { ok: false; message: string };

/**
 * Parses "8900, 8950-8960" into ranges. Empty text means no reserved ports. Every item is a port
 * (1–65535) or an ascending "start-end" pair; anything else names the offending item.
 */
export function parsePortList(text: string): PortListResult {
  if (text.length > MAX_PORT_LIST_LENGTH) {
    return { ok: false, message: `is longer than ${MAX_PORT_LIST_LENGTH} characters` };
  }
  if (text.trim() === '') return { ok: true, ranges: [] };
  const ranges: PortRange[] = [];
  for (const rawItem of text.split(',')) {
    const item = rawItem.trim();
    // "8900,,8950" and a trailing comma are harmless; the registry reads the variable the same way.
    if (item === '') continue;
    const match = /^(\d{1,5})(?:\s*-\s*(\d{1,5}))?$/.exec(item);
    if (!match) {
      return { ok: false, message: `has ${JSON.stringify(item)} where a port or a "start-end" range was expected` };
    }
    const start = Number(match[1]);
    const end = match[2] === undefined ? start : Number(match[2]);
    if (!isPort(start) || !isPort(end)) {
      return { ok: false, message: `has ${JSON.stringify(item)}: ports must be between ${MIN_PORT} and ${MAX_PORT}` };
    }
    if (start > end) {
      return { ok: false, message: `has ${JSON.stringify(item)}: a range must go from the lower port to the higher` };
    }
    ranges.push({ start, end });
  }
  return { ok: true, ranges };
}

/** Whether `port` falls in any of the ranges. */
export function inPortList(ranges: readonly PortRange[], port: number): boolean {
  return ranges.some((range) => port >= range.start && port <= range.end);
}

/** Parses a whole-number port written as text (an environment variable, a CLI flag). */
export function parsePortText(text: string, { allowZero = false } = {}): number | null {
  const trimmed = text.trim();
  if (!/^\d{1,5}$/.test(trimmed)) return null;
  const port = Number(trimmed);
  if (allowZero && port === 0) return 0;
  return isPort(port) ? port : null;
}
