// The verdict on one request case: what the oracle (llhttp) read against what reached the upstream
// through the proxy, and whether the client was refused and cut off when it should have been.
import { comparable, statusCodes, type Outcome } from './harness';
import type { RequestCase } from './request-corpus';

function sortedRequests<T>(requests: T[]): T[] {
  return requests.map((request) => [JSON.stringify(request), request] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, request]) => request);
}

/** A request list short enough to read in a report. */
function brief(requests: unknown): string {
  const text = JSON.stringify(requests);
  return text.length > 400 ? `${text.slice(0, 400)}… (${text.length} characters)` : text;
}

/** Empty when the proxy did what llhttp did; otherwise what differs, one line each. */
export function judgeRequestCase(testCase: RequestCase, direct: Outcome, proxied: Outcome): string[] {
  const problems: string[] = [];
  const refusedWith = testCase.refusedWith;
  // As sets: node:http hands pipelined requests to the forwarder together, and the upstream may
  // finish a later one first (the oracle's order is that of its own body ends).
  const expected = sortedRequests(direct.requests.map(comparable));
  const got = sortedRequests(proxied.requests.map(comparable));
  if (refusedWith !== undefined) {
    // A deliberate difference: the proxy refuses what llhttp accepts. Whatever came before the
    // refused request is forwarded as llhttp read it; nothing after it.
    const codes = statusCodes(proxied.response);
    if (!codes.includes(refusedWith)) problems.push(`expected a ${refusedWith} refusal, got statuses [${codes.join(', ')}]`);
    if (!proxied.closed) problems.push('the connection stayed open after the refusal');
    const forwarded = brief(got);
    if (!expected.slice(0, got.length).every((request, i) => JSON.stringify(request) === JSON.stringify(got[i]))) {
      problems.push(`forwarded what llhttp did not read: ${forwarded}`);
    }
    if (got.length >= expected.length && expected.length > 0 && direct.parserError === undefined) {
      problems.push(`forwarded every request although it refused one: ${forwarded}`);
    }
    return problems;
  }
  // When llhttp refuses bytes on a connection, the requests it read before them may be cut off with
  // it (Node aborts a request whose connection failed, and whether that beats the upstream write is
  // a race): then only what llhttp read may arrive, not necessarily all of it. Otherwise: all of it.
  const readAll = JSON.stringify(expected) === JSON.stringify(got);
  const readSome = got.every((request) => expected.some((read) => JSON.stringify(read) === JSON.stringify(request))) && got.length <= expected.length;
  if (direct.parserError === undefined ? !readAll : !readSome) {
    problems.push(`llhttp read ${brief(expected)}`);
    problems.push(`upstream got ${brief(got)}`);
  }
  if (direct.parserError !== undefined) {
    if (!proxied.closed) problems.push(`llhttp refused (${direct.parserError}) but the proxy kept the connection open`);
    // Bytes after a request that asked to close: llhttp calls them an error, the proxy just closes.
    // Either way nothing more is read.
    if (direct.parserError === 'HPE_CLOSED_CONNECTION') return problems;
    const refusal = statusCodes(direct.response).find((code) => code >= 400);
    const proxiedRefusal = statusCodes(proxied.response).find((code) => code >= 400 && code < 500);
    if (refusal !== undefined && proxiedRefusal === undefined) problems.push(`llhttp answered ${refusal}; the proxy answered [${statusCodes(proxied.response).join(', ')}]`);
  } else if (direct.closed !== proxied.closed && !(direct.closed && proxied.closed)) {
    problems.push(`the connection ${direct.closed ? 'was' : 'was not'} closed directly but ${proxied.closed ? 'was' : 'was not'} through the proxy`);
  }
  return problems;
}
