// The security checklist as a test: every BrowserWindow in electron/main gets the required
// webPreferences, only our preload, and the page carries a strict CSP (electronegativity runs in
// electronegativity.test.ts over the built output).
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../../electron/main/app-page';
import { appPaths } from '../../../electron/main/app-paths';
import { secureWindowOptions } from '../../../electron/main/window-options';
import { checkWindowSource, cspProblems, metaCsp } from './window-prefs-check';

const root = path.resolve(import.meta.dirname, '../../..');

async function sources(folder: string): Promise<string[]> {
  const entries = await readdir(path.join(root, folder), { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile() && /\.(ts|tsx|js|cjs|mjs)$/.test(entry.name)).map((entry) => path.join(entry.parentPath, entry.name));
}

describe('BrowserWindow webPreferences', () => {
  it('every BrowserWindow in electron/main and electron/preload passes the static check', async () => {
    const files = [...(await sources('electron/main')), ...(await sources('electron/preload'))];
    expect(files.length).toBeGreaterThan(5);
    const findings = [];
    let windows = 0;
    for (const file of files) {
      const checked = checkWindowSource(path.relative(root, file), await readFile(file, 'utf8'));
      windows += checked.windows;
      findings.push(...checked.findings);
    }
    expect(findings).toEqual([]);
    // The app has exactly one window factory; a second would need the same review.
    expect(windows).toBe(1);
  });

  it('secureWindowOptions applies the whole checklist and only the given preload', () => {
    const preloadPath = '/app/dist/preload/preload.cjs';
    const options = secureWindowOptions({ preloadPath });
    expect(options.webPreferences).toMatchObject({
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
    });
    expect(options.webPreferences).not.toHaveProperty('enableBlinkFeatures');
    expect(options.webPreferences).not.toHaveProperty('additionalArguments');
  });

  it('the preload main gives the window is the bundle build/build.mjs writes', () => {
    const mainDir = path.join(root, 'dist', 'main');
    expect(appPaths({ mainDir, isPackaged: false, resourcesPath: '' }).preloadPath).toBe(path.join(root, 'dist', 'preload', 'preload.cjs'));
  });

  it('the check fails on windows that switch protections off or cannot be verified', () => {
    const bad = `
      import { BrowserWindow } from 'electron';
      new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: true, sandbox: true } });
      new BrowserWindow({ webPreferences: { contextIsolation: true, nodeIntegration: false } });
      new BrowserWindow({ width: 10 });
      new BrowserWindow(someOptions);
      new electron.BrowserWindow({ webPreferences: { ...base, contextIsolation: true, sandbox: true, nodeIntegration: false } });
      new BrowserWindow({ webPreferences: { contextIsolation: true, sandbox: true, nodeIntegration: false, preload: '/tmp/evil.js' } });
      contents.setWindowOpenHandler(() => ({ action: 'allow', overrideBrowserWindowOptions: { webPreferences: { webSecurity: false } } }));
    `;
    const checked = checkWindowSource('bad.ts', bad);
    expect(checked.windows).toBe(6);
    const problems = checked.findings.map((finding) => `${finding.line}: ${finding.problem}`);
    expect(problems).toEqual([
      '3: webPreferences.nodeIntegration must be false',
      '3: nodeIntegration: true switches a protection off',
      '4: webPreferences.sandbox must be true',
      '5: BrowserWindow options have no literal webPreferences object',
      '6: BrowserWindow options must be secureWindowOptions(...) or an object literal, so they can be verified',
      '7: webPreferences uses a spread; its values cannot be verified',
      '8: a preload must come from secureWindowOptions (our bundled preload only)',
      '9: webSecurity: false switches a protection off',
    ]);
  });
});

describe('Content Security Policy', () => {
  it('renderer/index.html carries a strict CSP meta tag', async () => {
    const html = await readFile(path.join(root, 'renderer', 'index.html'), 'utf8');
    const policy = metaCsp(html);
    expect(policy, 'renderer/index.html has no <meta http-equiv="Content-Security-Policy">').not.toBeNull();
    expect(cspProblems(policy ?? '')).toEqual([]);
  });

  it('the page has no inline script or style that the policy would block', async () => {
    const html = await readFile(path.join(root, 'renderer', 'index.html'), 'utf8');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i);
    expect(html).not.toMatch(/<style\b/i);
    expect(html).not.toMatch(/\son[a-z]+\s*=/i);
    expect(html).not.toMatch(/\sstyle\s*=/i);
    expect(html).not.toMatch(/\b(src|href)\s*=\s*["']?(https?:)?\/\//i);
  });

  it('the header main sends with every file is strict too', () => {
    expect(cspProblems(CONTENT_SECURITY_POLICY)).toEqual([]);
  });

  it('the CSP check fails on weak policies', () => {
    expect(cspProblems("script-src 'self'")).toContain('no default-src');
    expect(cspProblems("default-src 'self'; base-uri 'none'")).toContain("object-src is not 'none'");
    expect(cspProblems("default-src 'none'; object-src 'none'; base-uri 'none'; script-src 'self' 'unsafe-inline'")).toEqual(["script-src allows 'unsafe-inline'"]);
    expect(cspProblems("default-src 'self'; object-src 'none'; base-uri 'none'; connect-src https://api.example.com")).toEqual([
      'connect-src allows the remote source https://api.example.com',
    ]);
    expect(metaCsp('<html><head><title>x</title></head></html>')).toBeNull();
    expect(metaCsp(`<meta content="default-src 'none'" http-equiv='content-security-policy'>`)).toBe("default-src 'none'");
  });
});
