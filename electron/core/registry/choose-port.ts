// Step 3 of the guide's allocation: scan the range from `next_available`, wrapping around once,
// skipping ports already mapped, reserved ports and ports some program is listening on.
import { inAnyRange, inRange, rangeSize } from './port-range';
import type { PortRange } from './port-range';

export interface PortChoiceInput {
  range: PortRange;
  nextAvailable: number;
  /** Ports already mapped (in or out of the range). */
  taken: ReadonlySet<number>;
  reserved: readonly PortRange[];
  isPortFree: (port: number) => Promise<boolean>;
}

export type PortChoice =
  | { port: number }
  | { port: undefined; skipped: { mapped: number; reserved: number; busy: number } };

/** The first usable port, scanning from `nextAvailable` (or the range start when it lies outside). */
export async function choosePort(input: PortChoiceInput): Promise<PortChoice> {
  const { range } = input;
  const size = rangeSize(range);
  const first = inRange(range, input.nextAvailable) ? input.nextAvailable : range.start;
  const skipped = { mapped: 0, reserved: 0, busy: 0 };
  for (let offset = 0; offset < size; offset += 1) {
    const port = range.start + ((first - range.start + offset) % size);
    if (input.taken.has(port)) skipped.mapped += 1;
    else if (inAnyRange(input.reserved, port)) skipped.reserved += 1;
    else if (!(await input.isPortFree(port))) skipped.busy += 1;
    else return { port };
  }
  return { port: undefined, skipped };
}

/** The port after `port`, wrapping to the start of the range. */
export function portAfter(range: PortRange, port: number): number {
  return port >= range.end ? range.start : port + 1;
}
