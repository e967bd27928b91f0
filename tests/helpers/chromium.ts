// Real Chromium for the renderer's end-to-end tests: Debian's /usr/bin/chromium (Playwright cannot
// download browsers here). Where it is missing the suites are skipped with the reason; in CI, where
// .ci/run installs it, a missing browser fails instead, so the tests can never silently not run.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright';

export const CHROMIUM_PATH = '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Why the browser tests cannot run on this machine; null when they can. */
export const chromiumMissing: string | null = existsSync(CHROMIUM_PATH)
  ? null
  : `${CHROMIUM_PATH} is not installed (apt-get install chromium); the renderer end-to-end tests need a real browser`;

if (chromiumMissing !== null && process.env.CI) {
  throw new Error(`${chromiumMissing}. CI must run these tests.`);
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

export interface OpenedPage {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught exceptions (a CSP violation shows up here too). */
  problems: string[];
}

/**
 * A fresh context (its own cookies and storage) and page at `url`, with clipboard access granted
 * for the page's origin so copy buttons can be checked by reading the clipboard back.
 */
export async function openPage(
  browser: Browser,
  url: string,
  options: {
    colorScheme?: 'light' | 'dark';
    viewport?: { width: number; height: number };
    deviceScaleFactor?: number;
    /** Runs before the page's own scripts (to take a browser feature away, say). */
    initScript?: string;
  } = {},
): Promise<OpenedPage> {
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1100, height: 800 },
    deviceScaleFactor: options.deviceScaleFactor ?? 1,
    colorScheme: options.colorScheme ?? 'light',
    reducedMotion: 'reduce',
  });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(url).origin });
  if (options.initScript) await context.addInitScript(options.initScript);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  await page.goto(url);
  return { context, page, problems };
}

export const SCREENSHOT_DIR = path.resolve('test-results', 'screenshots');

/** Saves the whole page (the viewport grown to the content, so fixed and sticky parts sit where they belong). */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  const viewport = page.viewportSize() ?? { width: 1100, height: 800 };
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  const dialogOpen = await page.evaluate(() => document.querySelector('dialog[open]') !== null);
  // A modal is centred in the viewport: keep the window's own height so it looks as the user sees it.
  if (!dialogOpen) await page.setViewportSize({ width: viewport.width, height: Math.min(Math.max(height, viewport.height), 4000) });
  await page.screenshot({ path: file, animations: 'disabled' });
  await page.setViewportSize(viewport);
  return file;
}
