import { describe, expect, it } from 'vitest';
import { choosePort, portAfter } from '../../../electron/core/registry/choose-port';
import type { PortChoiceInput } from '../../../electron/core/registry/choose-port';

const alwaysFree = async () => true;

function input(overrides: Partial<PortChoiceInput>): PortChoiceInput {
  return { range: { start: 100, end: 109 }, nextAvailable: 100, taken: new Set(), reserved: [], isPortFree: alwaysFree, ...overrides };
}

describe('choosePort', () => {
  it('starts at next_available', async () => {
    expect(await choosePort(input({ nextAvailable: 104 }))).toEqual({ port: 104 });
  });

  it('starts at the range start when next_available lies outside the range', async () => {
    expect(await choosePort(input({ nextAvailable: 50 }))).toEqual({ port: 100 });
    expect(await choosePort(input({ nextAvailable: 110 }))).toEqual({ port: 100 });
  });

  it('skips mapped, reserved and busy ports, in scan order', async () => {
    const probed: number[] = [];
    const result = await choosePort(
      input({
        nextAvailable: 102,
        taken: new Set([102]),
        reserved: [{ start: 103, end: 104 }],
        isPortFree: async (port) => {
          probed.push(port);
          return port !== 105;
        },
      }),
    );
    expect(result).toEqual({ port: 106 });
    expect(probed).toEqual([105, 106]); // mapped and reserved ports are never even probed
  });

  it('wraps around once to the ports before next_available', async () => {
    const taken = new Set([107, 108, 109]);
    expect(await choosePort(input({ nextAvailable: 107, taken }))).toEqual({ port: 100 });
  });

  it('reports exhaustion with what was skipped, after visiting each port exactly once', async () => {
    const probed: number[] = [];
    const result = await choosePort(
      input({
        nextAvailable: 105,
        taken: new Set([100, 101]),
        reserved: [{ start: 102, end: 102 }],
        isPortFree: async (port) => {
          probed.push(port);
          return false;
        },
      }),
    );
    expect(result).toEqual({ port: undefined, skipped: { mapped: 2, reserved: 1, busy: 7 } });
    expect(probed).toEqual([105, 106, 107, 108, 109, 103, 104]);
  });

  it('handles a one-port range', async () => {
    expect(await choosePort(input({ range: { start: 7, end: 7 }, nextAvailable: 7 }))).toEqual({ port: 7 });
    expect((await choosePort(input({ range: { start: 7, end: 7 }, taken: new Set([7]) }))).port).toBeUndefined();
  });
});

describe('portAfter', () => {
  it('moves on by one and wraps at the end of the range', () => {
    expect(portAfter({ start: 100, end: 109 }, 104)).toBe(105);
    expect(portAfter({ start: 100, end: 109 }, 109)).toBe(100);
  });
});
