// The Usage view in Debian's Chromium against `interceptor serve`: a month of seeded usage (three
// projects, several models and clients, estimated and unpriced costs, errors) plus a live request
// through a project's proxy. Checks the per-project windows, the stacked chart, the breakdowns and
// the latest requests, takes screenshots in light and dark, and checks the CSP let it all through.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright';
import { ledgerPathFor } from '../../../electron/core/ledger/ledger-file';
import { ledgerRow } from '../../../electron/core/ledger/ledger-row';
import { LedgerStore } from '../../../electron/core/ledger/ledger-store';
import type { RequestEntry } from '../../../electron/core/proxy/proxy-stats';
import type { UsageFacts } from '../../../electron/core/ledger/usage-facts';
import { chromiumMissing, launchChromium, openPage, saveScreenshot, type OpenedPage } from '../../helpers/chromium';
import { startServe, type Served } from './serve-fixture';

const POLL = { timeout: 10_000, interval: 50 };
const DAY = 24 * 60 * 60 * 1000;

function seeded(project: string, at: number, model: string, client: RequestEntry['client'], cost: number | null, estimated = false, status = 200): ReturnType<typeof ledgerRow> {
  const facts: UsageFacts = {
    promptTokens: 2400,
    completionTokens: 380,
    cachedTokens: 400,
    cacheWriteTokens: 0,
    cost: estimated ? null : cost,
    costSource: estimated || cost === null ? null : 'header',
    responseModel: model,
    callId: null,
    modelId: null,
    litellmVersion: null,
    note: null,
  };
  const entry: RequestEntry = {
    seq: 1, at, method: 'POST', path: '/v1/chat/completions', status, durationMs: 900, ttfbMs: 120, streamed: estimated, bytesIn: 1, bytesOut: 1,
    model, project, attribution: 'port', client,
    usage: { facts: () => facts } as unknown as RequestEntry['usage'],
  };
  return ledgerRow(entry, estimated ? () => cost ?? undefined : undefined);
}

function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

describe.skipIf(chromiumMissing !== null)(`usage view${chromiumMissing ? ` (skipped: ${chromiumMissing})` : ''}`, () => {
  let served: Served;
  let browser: Browser;
  let opened: OpenedPage;
  let page: Page;
  let alpha: string;

  beforeAll(async () => {
    served = await startServe();
    alpha = await served.makeProject('alpha');
    const billing = await served.makeProject('billing-service');
    const docs = await served.makeProject('docs-site');
    const now = Date.now();
    const rows = [];
    for (let day = 0; day < 30; day += 1) {
      const at = now - day * DAY;
      const wave = 1 + Math.sin(day / 3);
      rows.push(seeded(alpha, at, 'gpt-4o', 'openai-node', 0.18 * wave));
      rows.push(seeded(alpha, at - 1000, 'claude-sonnet', 'claude-code', 0.35 * wave, true));
      if (day % 2 === 0) rows.push(seeded(billing, at, 'gpt-4o-mini', 'continue', 0.06 + day * 0.004));
      if (day % 3 === 0) rows.push(seeded(docs, at, 'claude-haiku', 'jetbrains', 0.02 * wave));
    }
    rows.push(seeded(billing, now - 5000, 'gpt-4o-mini', 'junie', null));
    rows.push(seeded(docs, now - 4000, 'claude-haiku', 'other', 0, false, 429));
    const store = new LedgerStore({ file: ledgerPathFor(served.registryFile) });
    store.write(rows);
    store.close();
    browser = await launchChromium();
    opened = await openPage(browser, served.dashboardUrl);
    page = opened.page;
  });

  afterAll(async () => {
    await opened?.context.close();
    await browser?.close();
    await served?.stop();
  });

  it('a live request through a proxy is recorded and shows up with its tokens and cost', async () => {
    expect((await served.api('openProjectFolder', { path: alpha })).ok).toBe(true);
    const port = (await served.registryMappings())[alpha] as number;
    const response = await fetch(`http://127.0.0.1:${port}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'OpenAI/JS 6.30.1' },
      body: JSON.stringify({ model: 'live-model', messages: [] }),
    });
    expect(response.status).toBe(200);
    await response.arrayBuffer();
    await page.getByRole('button', { name: 'Usage', exact: true }).click();
    await page.getByRole('heading', { name: 'Usage', exact: true }).waitFor();
    await expect.poll(() => page.locator('[aria-label="Latest requests"] tbody tr').first().textContent(), POLL).toContain('live-model');
  });

  it('per project: today, 7 and 30 days; the chart stacks a month of cost by project', async () => {
    const projects = page.locator('table.usage-projects tbody tr');
    await expect.poll(() => projects.count(), POLL).toBe(3);
    const alphaRow = projects.filter({ hasText: 'alpha' });
    await expect.poll(() => alphaRow.locator('td').nth(2).textContent(), POLL).toMatch(/^~\$\d+\.\d\d/);
    expect(await alphaRow.locator('th .usage-sub').textContent()).toMatch(/^project:alpha-[0-9a-f]{6}$/);
    // The unpriced request marks billing's totals with "+".
    expect(await projects.filter({ hasText: 'billing-service' }).locator('td').first().textContent()).toContain('+');
    const bars = page.locator('.usage-chart svg.chart-svg rect');
    await expect.poll(() => bars.count(), POLL).toBeGreaterThan(50);
    expect(await page.locator('.usage-chart svg.chart-svg').getAttribute('aria-label')).toMatch(/^Cost per day over the last 30 days, stacked by project: \$\d+\.\d\d in all/);
    expect(await page.locator('.chart-legend li').allTextContents()).toEqual([expect.stringContaining('alpha'), expect.stringContaining('billing-service'), expect.stringContaining('docs-site')]);
    // Bars take their colours from the stylesheet: three projects, three fills.
    const fills = await bars.evaluateAll((rects) => [...new Set(rects.map((rect) => getComputedStyle(rect).fill))]);
    expect(fills.length).toBe(3);
  });

  it('breakdowns by model and client, and the latest requests with tokens and cost', async () => {
    const models = await page.locator('[aria-label="By model (30 days)"] tbody tr td:first-child').allTextContents();
    expect(models).toEqual(expect.arrayContaining(['gpt-4o', 'claude-sonnet', 'gpt-4o-mini', 'claude-haiku', 'live-model']));
    const clients = await page.locator('[aria-label="By client (30 days)"] tbody tr td:first-child').allTextContents();
    expect(clients).toEqual(expect.arrayContaining(['openai-node', 'claude-code', 'continue', 'jetbrains', 'junie', 'other']));
    const recent = page.locator('[aria-label="Latest requests"] tbody tr');
    expect(await recent.count()).toBeGreaterThan(10);
    expect(await recent.filter({ hasText: '429' }).first().locator('td.req-bad').count()).toBe(1);
  });

  it('screenshots in light and dark; the themes differ, the chart included', async () => {
    const fill = () => page.locator('.usage-chart rect.series-0').first().evaluate((rect) => getComputedStyle(rect).fill);
    await page.emulateMedia({ colorScheme: 'light' });
    const light = await fill();
    await saveScreenshot(page, 'usage-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    const dark = await fill();
    await saveScreenshot(page, 'usage-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    expect(light).not.toBe(dark);
  });

  it('at 200% zoom the usage view fits the width', async () => {
    const zoomed = await openPage(browser, served.dashboardUrl, { viewport: { width: 640, height: 900 }, deviceScaleFactor: 2 });
    try {
      await zoomed.page.getByRole('button', { name: 'Usage', exact: true }).click();
      await zoomed.page.locator('.usage-chart rect').first().waitFor();
      expect(await horizontalOverflow(zoomed.page)).toBeLessThanOrEqual(0);
      await saveScreenshot(zoomed.page, 'usage-zoom200-light');
      expect(zoomed.problems).toEqual([]);
    } finally {
      await zoomed.context.close();
    }
  });

  it('ran without console errors or CSP violations', () => {
    expect(opened.problems).toEqual([]);
  });
});
