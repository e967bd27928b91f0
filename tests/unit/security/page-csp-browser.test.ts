// The built page under both policies it gets in the app (main's header and its own meta tag), in real
// Chromium: it must start and render without a single CSP violation. The files are served the way
// main's app:// handler serves them (core's static-file resolver, main's headers), here over loopback
// HTTP because a browser outside Electron cannot load app://. A stand-in bridge plays the preload, so
// the page takes its Electron code path.
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentTypeOf, resolveStaticFile } from '../../../electron/core/dashboard/static-files';
import { pageResponseHeaders } from '../../../electron/main/app-page';
import { API_METHOD_NAMES } from '../../../shared/api';
import { chromiumMissing, launchChromium, openPage } from '../../helpers/chromium';

const rendererDir = path.resolve(import.meta.dirname, '../../../dist/renderer');

/** Runs in the page before its scripts: records CSP violations and stands in for the preload. */
function pageSetup(methods: readonly string[]): string {
  return `
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (event) => {
      window.__violations.push(event.effectiveDirective + ' blocked ' + (event.blockedURI || 'inline'));
    });
    const snapshot = {
      version: '0.1.0',
      projects: [{
        project: '/work/alpha', name: 'alpha', port: 8888, status: 'running', sources: [{ kind: 'pinned' }],
        stats: { requests: 3, errors: 0, bytesIn: 0, bytesOut: 0, lastRequestAt: Date.now(), p50Ms: 5, p95Ms: 9 },
        upstream: { reachable: true },
      }],
      registry: { file: '/home/u/.config/litellm/port_registry.json', range: { start: 8888, end: 9999 }, readOnly: false, warnings: [] },
      detection: { enabled: true, ides: [] },
      notices: [],
    };
    const bridge = { onState: () => () => {}, pickFolder: async () => null };
    for (const method of ${JSON.stringify(methods)}) {
      bridge[method] = async () => method === 'getSnapshot'
        ? { ok: true, value: snapshot }
        : { ok: false, code: 'INTERNAL', message: 'not part of this test' };
    }
    Object.defineProperty(window, 'interceptor', { value: Object.freeze(bridge) });
  `;
}

describe.skipIf(chromiumMissing !== null)(`the page under main’s CSP${chromiumMissing ? ` — skipped: ${chromiumMissing}` : ''}`, () => {
  let server: http.Server;
  let origin: string;

  beforeAll(async () => {
    server = http.createServer((request, response) => {
      void (async () => {
        const file = await resolveStaticFile(rendererDir, new URL(request.url ?? '/', 'http://x').pathname);
        if (file === null) {
          response.writeHead(404, pageResponseHeaders('text/plain; charset=utf-8')).end('Not found');
          return;
        }
        response.writeHead(200, pageResponseHeaders(contentTypeOf(file))).end(await readFile(file));
      })();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
  });

  it('renders with no CSP violation', async () => {
    await expect(readFile(path.join(rendererDir, 'index.html'), 'utf8'), 'dist/renderer is missing: run `npm run build` first').resolves.toContain('<html');
    const browser = await launchChromium();
    try {
      const { page, problems } = await openPage(browser, `${origin}/index.html`, { initScript: pageSetup(API_METHOD_NAMES) });
      const header = await page.evaluate(async () => (await fetch(location.href)).headers.get('content-security-policy'));
      expect(header).toContain("default-src 'none'");
      await page.waitForFunction(() => (document.getElementById('app')?.childElementCount ?? 0) > 0, undefined, { timeout: 15_000 });
      await page.getByText('alpha').first().waitFor({ timeout: 15_000 });
      const violations = await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations);
      expect(violations).toEqual([]);
      expect(problems.filter((problem) => /Content Security Policy|Refused to/i.test(problem))).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it('the check sees violations when there are some (an inline script the policy blocks)', async () => {
    const browser = await launchChromium();
    try {
      const { page } = await openPage(browser, `${origin}/index.html`, { initScript: pageSetup(API_METHOD_NAMES) });
      await page.evaluate(() => {
        const script = document.createElement('script');
        script.textContent = 'window.__ran = true';
        document.body.append(script);
      });
      await page.waitForFunction(() => (window as unknown as { __violations: string[] }).__violations.length > 0, undefined, { timeout: 5000 });
      expect(await page.evaluate(() => (window as unknown as { __ran?: boolean }).__ran)).toBeUndefined();
    } finally {
      await browser.close();
    }
  });
});
