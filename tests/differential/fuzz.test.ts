// A mutation fuzzer over the request corpus (fast-check): corpus cases with bytes inserted,
// deleted and replaced by the tokens that make parsers disagree, split into reads at random
// points, sent to llhttp directly and through the proxy on both forwarding paths. Whatever the
// bytes: the proxy never forwards a request llhttp did not read; forwards every one it read unless
// it refused on purpose (one of its own refusals, listed in the README) or the connection failed;
// closes the connection when llhttp refused; never crashes; and leaves no socket behind.
//
// The suite runs a short slice with a fixed seed; `npm run fuzz` runs it for FUZZ_SECONDS
// (default 60) with a fresh seed, printed so a failure can be replayed with FUZZ_SEED.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { comparable, startLane, statusCodes, type Lane, type Outcome } from './harness';
import { REQUEST_CASES } from './request-corpus';

const LONG_RUN = process.env.FUZZ_SECONDS !== undefined;
const SECONDS = Number(process.env.FUZZ_SECONDS ?? '0');
const SEED = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : LONG_RUN ? Date.now() % 2 ** 31 : 20261207;
const RUNS = LONG_RUN ? 1_000_000 : 40;

/** Pieces that move a parser's idea of where a message starts, ends or splits. */
const TOKENS = [
  '\r', '\n', '\r\n', '\r\n\r\n', ' ', '\t', ':', ';', ',', '\x00', '\x0b', '\x7f', '\xff', '0', '5', 'f', '-', '"',
  'chunked', 'Transfer-Encoding: chunked\r\n', 'Content-Length: 0\r\n', 'Content-Length: 5\r\n', 'Host: {HOST}\r\n',
  '0\r\n\r\n', '5\r\nhello\r\n', 'GET / HTTP/1.1\r\n', 'HTTP/1.0', 'Expect: 100-continue\r\n', 'Connection: close\r\n',
];

type Mutation = { kind: 'insert' | 'replace'; at: number; token: string } | { kind: 'delete'; at: number; length: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), token: fc.constantFrom(...TOKENS) }),
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), token: fc.constantFrom(...TOKENS) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 8 }) }),
);

const input = fc.record({
  base: fc.constantFrom(...REQUEST_CASES.filter((c) => c.segments.join('').length < 4096)),
  mutations: fc.array(mutation, { minLength: 1, maxLength: 4 }),
  splits: fc.array(fc.nat(), { maxLength: 3 }),
});

function mutate(text: string, mutations: readonly Mutation[]): string {
  let out = text;
  for (const m of mutations) {
    const at = out.length === 0 ? 0 : m.at % (out.length + 1);
    if (m.kind === 'delete') out = out.slice(0, at) + out.slice(at + m.length);
    else if (m.kind === 'insert') out = out.slice(0, at) + m.token + out.slice(at);
    else out = out.slice(0, at) + m.token + out.slice(at + m.token.length);
  }
  return out;
}

function split(text: string, points: readonly number[]): string[] {
  if (text.length === 0) return [''];
  const cuts = [...new Set(points.map((p) => p % text.length))].filter((p) => p > 0).sort((a, b) => a - b);
  const segments: string[] = [];
  let from = 0;
  for (const cut of cuts) {
    segments.push(text.slice(from, cut));
    from = cut;
  }
  segments.push(text.slice(from));
  return segments;
}

/**
 * The proxy's own refusals (guard and limits): a 400, 403 or 431 carrying our JSON error (its body
 * is left out for HEAD, so the content type tells); Node's parser answers its 400s without one.
 */
function refusedOnPurpose(response: string): boolean {
  // Not anchored: a refusal can follow the body of an earlier response on the same connection.
  return /HTTP\/1\.1 (400|403|431) [^\r]*\r\ncontent-type: application\/json\r\n/i.test(response);
}

/** The requests as a multiset, each server's own address written back as {HOST} (it lands in any field). */
function multiset(outcome: Outcome, host: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const request of outcome.requests.map(comparable)) {
    const key = JSON.stringify(request).replaceAll(host, '{HOST}');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** Empty when the property holds. */
function violations(lane: Lane, direct: Outcome, proxied: Outcome): string[] {
  const problems: string[] = [];
  const read = multiset(direct, lane.oracleHost);
  const forwarded = multiset(proxied, lane.proxyHost);
  for (const [request, count] of forwarded) {
    if ((read.get(request) ?? 0) < count) problems.push(`forwarded what llhttp did not read: ${request.slice(0, 300)}`);
  }
  const refused = refusedOnPurpose(proxied.response);
  // When llhttp refuses bytes on a connection, the requests it read before them may be cut off
  // with it (Node aborts a request whose connection failed): completeness is owed only otherwise.
  if (!refused && direct.parserError === undefined) {
    for (const [request, count] of read) {
      if ((forwarded.get(request) ?? 0) < count) problems.push(`did not forward what llhttp read: ${request.slice(0, 300)}`);
    }
  }
  if (direct.parserError !== undefined && direct.parserError !== 'HPE_CLOSED_CONNECTION' && !proxied.closed) {
    problems.push(`llhttp refused (${direct.parserError}) but the connection stayed open`);
  }
  if (refused && !proxied.closed) problems.push(`refused (${statusCodes(proxied.response).join(', ')}) but the connection stayed open`);
  return problems;
}

async function check(lane: Lane, text: string, splits: readonly number[], quietMs: number): Promise<string[]> {
  // The address goes in before the split: a split inside {HOST} must not leave the placeholder.
  const bytes = (host: string) => split(text.replaceAll('{HOST}', host), splits).map((segment) => Buffer.from(segment, 'latin1'));
  const [direct, proxied] = await Promise.all([lane.runDirect(bytes(lane.oracleHost), quietMs), lane.runProxied(bytes(lane.proxyHost), quietMs)]);
  return violations(lane, direct, proxied);
}

for (const rawPath of [true, false]) {
  describe(`fuzzed requests, ${rawPath ? 'raw path' : 'node:http path'}`, async () => {
    const lane = await startLane({ rawPath });
    let closed = false;
    afterAll(async () => {
      if (!closed) await lane.close();
    });

    it(`agrees with llhttp on mutated corpus cases (seed ${SEED})`, async () => {
      if (LONG_RUN) console.log(`fuzz: ${rawPath ? 'raw' : 'node:http'} path, seed ${SEED}, ${SECONDS} s`);
      let runs = 0;
      await fc.assert(
        fc.asyncProperty(input, async ({ base, mutations, splits }) => {
          runs += 1;
          const text = mutate(base.segments.join(''), mutations);
          let problems = await check(lane, text, splits, 40);
          // A slow moment on a busy machine is not a disagreement: judged again with patience.
          if (problems.length > 0) problems = await check(lane, text, splits, 400);
          if (problems.length > 0) throw new Error(`${JSON.stringify(split(text, splits)).slice(0, 600)}\n${problems.join('\n')}`);
        }),
        { seed: SEED, numRuns: RUNS, ...(LONG_RUN ? { interruptAfterTimeLimit: SECONDS * 1000 } : {}) },
      );
      if (LONG_RUN) console.log(`fuzz: ${runs} inputs, no disagreement`);
      // No socket left behind: closing waits for every connection, so it must finish promptly.
      const started = Date.now();
      await lane.close();
      closed = true;
      expect(Date.now() - started).toBeLessThan(3000);
    }, LONG_RUN ? SECONDS * 1000 + 120_000 : 120_000);
  });
}
