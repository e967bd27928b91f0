// Every request case, sent to llhttp directly and through the proxy, on both forwarding paths: the
// raw path (with its hand-offs to node:http) and node:http alone. See harness.ts for the rule.
import { afterAll, describe, expect, it } from 'vitest';
import { startLane, type Lane } from './harness';
import { judgeRequestCase } from './judge';
import { REQUEST_CASES, type RequestCase } from './request-corpus';

const LANES = 4;
/** Quiet time that ends a case; a case that fails is run again with a much longer one. */
const QUIET_MS = 40;
const PATIENT_MS = 400;

function bytes(segments: readonly string[], host: string): Buffer[] {
  return segments.map((segment) => Buffer.from(segment.replaceAll('{HOST}', host), 'latin1'));
}

async function runCase(lane: Lane, testCase: RequestCase, quietMs: number): Promise<string[]> {
  const [direct, proxied] = await Promise.all([
    lane.runDirect(bytes(testCase.segments, lane.oracleHost), quietMs),
    lane.runProxied(bytes(testCase.segments, lane.proxyHost), quietMs),
  ]);
  return judgeRequestCase(testCase, direct, proxied);
}

/** Runs every case over a few lanes at once; returns the failures (after one patient retry). */
async function runCorpus(lanes: Lane[], cases: readonly RequestCase[]): Promise<Map<string, string[]>> {
  const failures = new Map<string, string[]>();
  let next = 0;
  await Promise.all(
    lanes.map(async (lane) => {
      for (;;) {
        const testCase = cases[next++];
        if (testCase === undefined) return;
        let problems = await runCase(lane, testCase, QUIET_MS);
        if (problems.length > 0) problems = await runCase(lane, testCase, PATIENT_MS);
        if (problems.length > 0) failures.set(`[${testCase.family}] ${testCase.name}`, problems);
      }
    }),
  );
  return failures;
}

describe('the request corpus', () => {
  it('holds at least 150 cases, every one named once', () => {
    expect(REQUEST_CASES.length).toBeGreaterThanOrEqual(150);
    const names = REQUEST_CASES.map((c) => `${c.family}/${c.name}`);
    expect(new Set(names).size).toBe(names.length);
  });
});

for (const rawPath of [true, false]) {
  describe(`requests, ${rawPath ? 'raw path (hand-offs included)' : 'node:http path only'}`, async () => {
    const lanes = await Promise.all(Array.from({ length: LANES }, () => startLane({ rawPath })));
    afterAll(async () => {
      await Promise.all(lanes.map((lane) => lane.close()));
    });

    it('forwards exactly what llhttp reads, and refuses and closes when llhttp refuses', async () => {
      const failures = await runCorpus(lanes, REQUEST_CASES);
      const report = [...failures].map(([name, problems]) => `${name}\n    ${problems.join('\n    ')}`).join('\n');
      expect(report, `${failures.size} of ${REQUEST_CASES.length} cases differ`).toBe('');
    }, 120_000);
  });
}
