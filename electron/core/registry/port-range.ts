// Ports and port ranges as the registry understands them: whole numbers from 1 to 65535.

export interface PortRange {
  start: number;
  end: number;
}

export const MIN_PORT = 1;
export const MAX_PORT = 65535;
export const DEFAULT_PORT_RANGE: Readonly<PortRange> = Object.freeze({ start: 8888, end: 9999 });

export function isPort(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= MIN_PORT && value <= MAX_PORT;
}

/** Strict decimal port text: digits only (surrounding blanks tolerated), 1–65535. */
export function parsePortText(text: string): number | undefined {
  const trimmed = text.trim();
  if (!/^[0-9]{1,5}$/.test(trimmed)) return undefined;
  const port = Number(trimmed);
  return isPort(port) ? port : undefined;
}

export function inRange(range: PortRange, port: number): boolean {
  return port >= range.start && port <= range.end;
}

export function rangeSize(range: PortRange): number {
  return range.end - range.start + 1;
}

export function formatRange(range: PortRange): string {
  return range.start === range.end ? `${range.start}` : `${range.start}-${range.end}`;
}

/** True when some range in `ranges` contains `port`. */
export function inAnyRange(ranges: readonly PortRange[], port: number): boolean {
  return ranges.some((range) => inRange(range, port));
}
