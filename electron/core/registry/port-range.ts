// Ports and port ranges as the registry understands them. The primitives live in shared/port-list.ts
// (the settings window validates with the same ones); this adds what the registry needs on top.
import { inPortList, parsePortText as parsePortTextOrNull, type PortRange } from '../../../shared/port-list';

export { isPort, MAX_PORT, MIN_PORT, type PortRange } from '../../../shared/port-list';

export const DEFAULT_PORT_RANGE: Readonly<PortRange> = Object.freeze({ start: 8888, end: 9999 });

/** Strict decimal port text: digits only (surrounding blanks tolerated), 1–65535. */
export function parsePortText(text: string): number | undefined {
  return parsePortTextOrNull(text) ?? undefined;
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
export const inAnyRange = inPortList;
