// Screenshots of the window's main states in light and dark (test-results/screenshots/*.png, kept as
// CI artifacts), taken against `interceptor serve`. Also checks what a picture cannot prove by itself:
// the two themes really differ, and at 200% zoom nothing needs sideways scrolling.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Server } from 'node:net';
import type { Browser, Page } from 'playwright';
import { chromiumMissing, launchChromium, openPage, saveScreenshot, type OpenedPage } from '../../helpers/chromium';
import { occupyPort } from '../../helpers/ports';
import { openDialog, projectCard } from './page-helpers';
import { startServe, type Served } from './serve-fixture';

const POLL = { timeout: 10_000, interval: 50 };
const SCHEMES = ['light', 'dark'] as const;

async function shootBoth(page: Page, name: string): Promise<void> {
  for (const colorScheme of SCHEMES) {
    await page.emulateMedia({ colorScheme });
    await saveScreenshot(page, `${name}-${colorScheme}`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

async function chat(port: number, body: object, headers: Record<string, string> = {}): Promise<number> {
  const response = await fetch(`http://127.0.0.1:${port}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  await response.arrayBuffer();
  return response.status;
}

function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

describe.skipIf(chromiumMissing !== null)(`window screenshots${chromiumMissing ? ` (skipped: ${chromiumMissing})` : ''}`, () => {
  let served: Served;
  let browser: Browser;
  let opened: OpenedPage;
  let page: Page;
  let blocker: Server;

  beforeAll(async () => {
    served = await startServe();
    browser = await launchChromium();
    opened = await openPage(browser, served.dashboardUrl);
    page = opened.page;
  });

  afterAll(async () => {
    await opened?.context.close();
    await browser?.close();
    await served?.stop();
    await new Promise((resolve) => blocker?.close(resolve));
  });

  it('empty state, and the themes follow the OS', async () => {
    await page.getByRole('heading', { name: 'No projects yet' }).waitFor();
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await page.emulateMedia({ colorScheme: 'light' });
    const light = await background();
    await page.emulateMedia({ colorScheme: 'dark' });
    const dark = await background();
    expect(light).not.toBe(dark);
    await shootBoth(page, 'empty');
  });

  it('list with a running project and an error row', async () => {
    const alpha = await served.makeProject('alpha');
    const gamma = await served.makeProject('gamma-service');
    expect((await served.api('openProjectFolder', { path: alpha })).ok).toBe(true);
    const blockedPort = served.portRange.end - 3;
    blocker = await occupyPort(blockedPort);
    await served.addMappingFromOutside(gamma, blockedPort);
    expect((await served.api('openProjectFolder', { path: gamma })).ok).toBe(true);

    const port = (await served.registryMappings())[alpha] as number;
    expect(await chat(port, { model: 'gpt-4o-mini', messages: [] })).toBe(200);
    expect(await chat(port, { model: 'claude-sonnet', stream: true, messages: [] })).toBe(200);
    expect(await chat(port, { model: 'gpt-4o-mini', messages: [] }, { 'x-fake-status': '429' })).toBe(429);

    await expect.poll(() => projectCard(page, 'gamma-service').locator('.badge').textContent(), POLL).toBe('Error');
    await expect.poll(() => projectCard(page, 'alpha').locator('.facts').textContent(), POLL).toContain('3 requests');
    await shootBoth(page, 'list');
  });

  it('recent requests and the header preview', async () => {
    const card = projectCard(page, 'alpha');
    await card.getByRole('button', { name: 'Requests & headers' }).click();
    await expect.poll(() => card.locator('table.requests tbody tr').count(), POLL).toBe(3);
    await card.locator('.header-list').waitFor();
    await shootBoth(page, 'recent-requests');
    await card.getByRole('button', { name: 'Hide details' }).click();
  });

  it('confirm dialog and client setup dialog', async () => {
    await projectCard(page, 'alpha').getByRole('button', { name: 'Remove…' }).click();
    await openDialog(page).getByRole('button', { name: 'Remove mapping' }).waitFor();
    await shootBoth(page, 'confirm-dialog');
    await page.keyboard.press('Escape');
    await expect.poll(() => openDialog(page).count(), POLL).toBe(0);

    await projectCard(page, 'alpha').getByRole('button', { name: 'Set up clients…' }).click();
    await openDialog(page).locator('.client-preview').waitFor();
    await shootBoth(page, 'client-setup');
    await page.keyboard.press('Escape');
    await expect.poll(() => openDialog(page).count(), POLL).toBe(0);
  });

  it('settings with a validation message', async () => {
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.locator('#setting-targetUrl').fill('ftp://x');
    await page.locator('#setting-targetUrl').blur();
    await page.locator('[data-field-error="targetUrl"]:not(:empty)').waitFor();
    await shootBoth(page, 'settings');
  });

  it('at 200% zoom the list and the settings fit the width', async () => {
    // 200% zoom of a 1280 px window: 640 CSS pixels at two device pixels each.
    const zoomed = await openPage(browser, served.dashboardUrl, { viewport: { width: 640, height: 900 }, deviceScaleFactor: 2 });
    try {
      const zpage = zoomed.page;
      await projectCard(zpage, 'gamma-service').waitFor();
      await projectCard(zpage, 'alpha').getByRole('button', { name: 'Requests & headers' }).click();
      await projectCard(zpage, 'alpha').locator('.header-list').waitFor();
      expect(await horizontalOverflow(zpage)).toBeLessThanOrEqual(0);
      await shootBoth(zpage, 'list-zoom200');
      await zpage.getByRole('button', { name: 'Settings' }).click();
      await zpage.locator('#setting-targetUrl').waitFor();
      expect(await horizontalOverflow(zpage)).toBeLessThanOrEqual(0);
      await shootBoth(zpage, 'settings-zoom200');
      expect(zoomed.problems).toEqual([]);
    } finally {
      await zoomed.context.close();
    }
  });

  it('ran without console errors or CSP violations', () => {
    expect(opened.problems).toEqual([]);
  });
});
