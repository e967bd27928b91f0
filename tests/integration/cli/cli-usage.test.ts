// `interceptor usage` as a user runs it, over a database seeded through the real store: the table,
// --by, --project, --since, --json and --csv agree with what was written; bad arguments exit 2; and
// --reconcile against a fake LiteLLM compares, or says why it cannot (no database, no API, no right).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ledgerPathFor } from '../../../electron/core/ledger/ledger-file';
import { ledgerRow } from '../../../electron/core/ledger/ledger-row';
import { LedgerStore } from '../../../electron/core/ledger/ledger-store';
import { projectSlug } from '../../../electron/core/proxy/project-identity';
import type { RequestEntry } from '../../../electron/core/proxy/proxy-stats';
import { parseJson } from '../../helpers/cli';
import { startFakeLiteLlm, type FakeLiteLlm } from '../../helpers/fake-litellm';
import { cliSession, type CliSession } from './cli-env';

const DAY = 24 * 60 * 60 * 1000;
let session: CliSession;
let alpha: string;
let beta: string;
let litellm: FakeLiteLlm;

/** A written row with a known cost and tokens (facts stand in for what the capture read). */
function row(project: string, at: number, model: string, client: RequestEntry['client'], cost: number | null, status = 200) {
  const facts = { promptTokens: 1000, completionTokens: 200, cachedTokens: 100, cacheWriteTokens: 0, cost, costSource: cost === null ? null : 'header', responseModel: model, callId: null, modelId: null, litellmVersion: null, note: null } as const;
  const entry: RequestEntry = {
    seq: 1, at, method: 'POST', path: '/v1/chat/completions', status, durationMs: 100, ttfbMs: 10, streamed: false, bytesIn: 1, bytesOut: 1,
    model, project, attribution: 'port', client,
    usage: { facts: () => facts } as unknown as RequestEntry['usage'],
  };
  return ledgerRow(entry);
}

beforeAll(async () => {
  session = await cliSession();
  alpha = await session.folder('alpha');
  beta = await session.folder('beta');
  litellm = await startFakeLiteLlm();
  const now = Date.now();
  const store = new LedgerStore({ file: ledgerPathFor(session.registry) });
  store.write([
    row(alpha, now, 'gpt-test', 'openai-node', 0.25),
    row(alpha, now, 'gpt-test', 'claude-code', 0.5),
    row(alpha, now, 'claude-test', 'claude-code', 1, 500),
    row(beta, now, 'gpt-test', 'continue', 0.125),
    row(beta, now, 'gpt-test', 'continue', null),
    row(alpha, now - 10 * DAY, 'gpt-test', 'openai-node', 4),
  ]);
  store.close();
});

afterAll(() => litellm.close());

describe('interceptor usage', () => {
  it('prints a table per project with a total, the last 7 days by default', async () => {
    const result = await session.run(['usage']);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(/^PROJECT\s+REQUESTS\s+ERRORS\s+INPUT\s+OUTPUT\s+CACHED\s+COST$/);
    expect(result.stdout).toMatch(new RegExp(`alpha  \\(${alpha}\\)\\s+3\\s+1\\s+3\\.0k\\s+600\\s+300\\s+\\$1\\.75`));
    expect(result.stdout).toMatch(/beta .*\s+2\s+0\s+2\.0k\s+400\s+200\s+\$0\.13\+/);
    expect(result.stdout).toMatch(/total\s+5\s+1\s+5\.0k\s+1\.0k\s+500\s+\$1\.88\+/);
    expect(result.stdout).toContain('+ 1 request(s) without a known price');
  });

  it('--json: exact totals per project, with their LiteLLM slugs', async () => {
    const doc = parseJson<{ by: string; rows: Array<Record<string, unknown>>; total: Record<string, number> }>(await session.run(['usage', '--json']));
    expect(doc.by).toBe('project');
    expect(doc.rows).toEqual([
      { key: alpha, slug: projectSlug(alpha), requests: 3, errors: 1, promptTokens: 3000, completionTokens: 600, cachedTokens: 300, cost: 1.75, estimatedCost: 0, unpriced: 0 },
      { key: beta, slug: projectSlug(beta), requests: 2, errors: 0, promptTokens: 2000, completionTokens: 400, cachedTokens: 200, cost: 0.125, estimatedCost: 0, unpriced: 1 },
    ]);
    expect(doc.total).toMatchObject({ requests: 5, cost: 1.875, unpriced: 1 });
  });

  it('--by model / client / day, --project and --since', async () => {
    const byModel = parseJson<{ rows: Array<{ key: string; requests: number }> }>(await session.run(['usage', '--by', 'model', '--json']));
    expect(byModel.rows.map((r) => [r.key, r.requests])).toEqual([
      ['claude-test', 1],
      ['gpt-test', 4],
    ]);
    const byClient = parseJson<{ rows: Array<{ key: string; cost: number }> }>(await session.run(['usage', '--by', 'client', '--project', alpha, '--json']));
    expect(byClient.rows).toEqual([expect.objectContaining({ key: 'claude-code', cost: 1.5 }), expect.objectContaining({ key: 'openai-node', cost: 0.25 })]);
    const month = parseJson<{ total: { requests: number; cost: number } }>(await session.run(['usage', '--since', '30d', '--json']));
    expect(month.total).toMatchObject({ requests: 6, cost: 5.875 });
    const byDay = parseJson<{ rows: Array<{ key: string }> }>(await session.run(['usage', '--since', '30d', '--by', 'day', '--json']));
    expect(byDay.rows).toHaveLength(2);
    expect(byDay.rows[0]!.key < byDay.rows[1]!.key).toBe(true);
  });

  it('--csv: a header and raw numbers', async () => {
    const result = await session.run(['usage', '--csv', '--by', 'client']);
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toBe('client,requests,errors,prompt_tokens,completion_tokens,cached_tokens,cost,estimated_cost,unpriced');
    expect(lines).toContain('claude-code,2,1,2000,400,200,1.5,0,0');
    expect(lines).toHaveLength(4);
  });

  it.each([
    [['usage', '--by', 'week'], /--by must be one of project, model, client, day/],
    [['usage', '--since', 'yesterday'], /--since must be a number of days/],
    [['usage', '--since', '0d'], /--since must be/],
    [['usage', '--csv', '--json'], /choose one of --csv and --json/],
    [['usage', '--date', '2026-01-01'], /--date goes with --reconcile/],
    [['usage', 'extra'], /takes no arguments/],
  ])('%j is a usage error (exit 2)', async (args, message) => {
    const result = await session.run(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it('with nothing recorded yet: says so, exit 0, and JSON has no rows', async () => {
    const empty = await cliSession();
    const text = await empty.run(['usage']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/No usage recorded yet/);
    expect(parseJson<{ rows: unknown[] }>(await empty.run(['usage', '--json'])).rows).toEqual([]);
  });
});

describe('interceptor usage --reconcile', () => {
  const env = () => ({ TARGET_LLM_URL: litellm.url, LITELLM_ADMIN_KEY: 'sk-admin' });

  it("compares each project's ledger total with LiteLLM's spend for its project: tag", async () => {
    litellm.spendTags = {
      status: 200,
      body: { spend_per_tag: [{ name: `project:${projectSlug(alpha)}`, spend: 1.8, log_count: 3 }, { name: 'ide:PyCharm', spend: 9, log_count: 9 }] },
    };
    const result = await session.run(['usage', '--reconcile', '--json'], { env: env() });
    expect(result.code, result.stderr).toBe(0);
    const doc = parseJson<{ status: string; rows: Array<Record<string, unknown>> }>(result);
    expect(doc.status).toBe('compared');
    const alphaRow = doc.rows.find((r) => r.tag === `project:${projectSlug(alpha)}`);
    expect(alphaRow).toMatchObject({ project: alpha, ledgerCost: 1.75, litellmCost: 1.8, litellmRequests: 3 });
    expect(alphaRow?.difference).toBeCloseTo(0.05, 10);
    // A project LiteLLM lists nowhere spent nothing there; ide: tags are not projects.
    expect(doc.rows.find((r) => r.tag === `project:${projectSlug(beta)}`)).toMatchObject({ ledgerCost: 0.125, litellmCost: 0 });
    expect(doc.rows.some((r) => String(r.tag).startsWith('ide:'))).toBe(false);
  });

  it.each([
    [500, 'no-database', { error: { message: '/spend/tags Error Database not connected. Connect a database to your proxy', type: 'internal_error', code: '500' } }, /runs without a database/],
    [404, 'no-api', { detail: 'Not Found' }, /has no \/global\/spend\/tags/],
    [401, 'not-allowed', { error: { message: 'Authentication Error, not allowed to access /global/spend/tags', code: '401' } }, /may not read spend/],
  ])('a LiteLLM answering %i is reported as %s, never as zero spend', async (status, expected, body, message) => {
    litellm.spendTags = { status, body };
    const json = await session.run(['usage', '--reconcile', '--json'], { env: env() });
    expect(json.code).toBe(1);
    expect(parseJson<{ status: string }>(json).status).toBe(expected);
    const text = await session.run(['usage', '--reconcile'], { env: env() });
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(message);
    expect(text.stdout).not.toMatch(/\$0\.0/);
  });
});
