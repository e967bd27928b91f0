// The window's project list in real Chromium against the real engine (`interceptor serve`) over the
// dashboard transport: it fills and updates live, copies what users paste into their IDE, shows
// recent requests, fixes a taken port, and removes and resets only after asking.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright';
import type { Server } from 'node:net';
import { baseUrl, continueYamlSnippet, jetbrainsAiAssistantSnippet, proxyAiEndpoint } from '../../../shared/format';
import { chromiumMissing, launchChromium, openPage, type OpenedPage } from '../../helpers/chromium';
import { occupyPort } from '../../helpers/ports';
import { clearClipboard, clipboardText, focusedElement, openDialog, projectCard } from './page-helpers';
import { startServe, type Served } from './serve-fixture';

const POLL = { timeout: 10_000, interval: 50 };

describe.skipIf(chromiumMissing !== null)(`project list in Chromium${chromiumMissing ? ` (skipped: ${chromiumMissing})` : ''}`, () => {
  let served: Served;
  let browser: Browser;
  let opened: OpenedPage;
  let page: Page;
  let blocker: Server;
  let blockedProject: string;
  let blockedPort: number;

  beforeAll(async () => {
    served = await startServe();
    // A port another program holds, for the error row later.
    blockedProject = await served.makeProject('gamma');
    blockedPort = served.portRange.end - 5;
    blocker = await occupyPort(blockedPort);
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

  it('greets a new user with what to do, then lists a folder opened from the page', async () => {
    await page.getByRole('heading', { name: 'No projects yet' }).waitFor();
    expect(await page.getByText('Open a project in a JetBrains IDE').count()).toBe(1);

    await page.getByRole('button', { name: 'Open project folder…' }).first().click();
    const dialog = openDialog(page);
    await dialog.getByRole('heading', { name: 'Open project folder' }).waitFor();
    const input = dialog.getByLabel('Absolute folder path');
    await expect.poll(() => focusedElement(page), POLL).toMatchObject({ tag: 'input', inDialog: true });

    await input.fill('relative/folder');
    await dialog.getByRole('button', { name: 'Open folder' }).click();
    await expect.poll(() => dialog.locator('.field-error').textContent(), POLL).toContain('absolute path');
    expect(await input.getAttribute('aria-invalid')).toBe('true');

    const alpha = await served.makeProject('alpha');
    await input.fill(alpha);
    await dialog.getByRole('button', { name: 'Open folder' }).click();
    await expect.poll(() => openDialog(page).count(), POLL).toBe(0);

    const card = projectCard(page, 'alpha');
    await expect.poll(() => card.locator('.badge').textContent(), POLL).toBe('Running');
    const mappings = await served.registryMappings();
    expect(Object.keys(mappings)).toEqual([alpha]);
    expect(await card.locator('.project-port').textContent()).toBe(`:${mappings[alpha]}`);
    expect(await card.locator('.project-path').textContent()).toBe(alpha);
    expect(await page.locator('.status-line').textContent()).toContain('Opened alpha');
  });

  it('shows a project opened from the CLI without a reload', async () => {
    const beta = await served.makeProject('beta');
    const before = await page.evaluate(() => performance.getEntriesByType('navigation').length);
    const result = await served.cli('open', beta);
    expect(result.code, `${result.stdout}${result.stderr}`).toBe(0);
    const card = projectCard(page, 'beta');
    await expect.poll(() => card.locator('.badge').textContent(), POLL).toBe('Running');
    expect(await page.evaluate(() => performance.getEntriesByType('navigation').length)).toBe(before);
    expect(await page.locator('#projects-title .count').textContent()).toBe('2');
  });

  it('copies the base URL and every client snippet to the clipboard', async () => {
    const alpha = (await served.registryMappings())[await served.makeProject('alpha')];
    expect(alpha).toBeTypeOf('number');
    const port = alpha as number;
    const card = projectCard(page, 'alpha');

    await clearClipboard(page);
    await card.getByRole('button', { name: 'Copy base URL' }).click();
    await expect.poll(() => clipboardText(page), POLL).toBe(`http://127.0.0.1:${port}/v1`);
    expect(await card.locator('button[data-copied]').textContent()).toBe('Copied ✓');
    expect(await page.locator('.status-line').textContent()).toBe('Copied base URL of alpha');

    await card.getByRole('button', { name: 'Set up clients…' }).click();
    const dialog = openDialog(page);
    await dialog.getByRole('heading', { name: 'Set up clients for alpha' }).waitFor();
    // The preview of the client files arrives after the dialog opens and moves the snippets down:
    // click them once the layout has settled.
    await dialog.locator('.client-preview').waitFor();
    // Per-project clients get the project's port; IDE-wide ones the shared IDE port serve runs.
    const expected: Record<string, string> = {
      'base-url': baseUrl(port),
      jetbrains: jetbrainsAiAssistantSnippet(served.idePort),
      continue: continueYamlSnippet(port, { name: 'alpha' }),
      proxyai: proxyAiEndpoint(served.idePort),
    };
    for (const [id, text] of Object.entries(expected)) {
      await clearClipboard(page);
      const snippet = dialog.locator(`[data-snippet="${id}"]`);
      expect(await snippet.locator('pre').textContent()).toBe(text);
      await snippet.getByRole('button', { name: 'Copy' }).click();
      await expect.poll(() => clipboardText(page), POLL).toBe(text);
    }

    // Escape closes the dialog and gives the focus back to the button that opened it.
    await page.keyboard.press('Escape');
    await expect.poll(() => openDialog(page).count(), POLL).toBe(0);
    await expect.poll(() => focusedElement(page), POLL).toMatchObject({ tag: 'button', text: 'Set up clients…' });
  });

  it('sets up the clients of a project: each file previewed as a diff, applied, then undone', async () => {
    const project = await served.makeProject('alpha');
    const port = (await served.registryMappings())[project] as number;
    const settingsFile = path.join(project, '.claude', 'settings.local.json');
    await projectCard(page, 'alpha').getByRole('button', { name: 'Set up clients…' }).click();
    const dialog = openDialog(page);
    const claude = dialog.locator('[data-client="claude"]');
    const file = claude.locator('[data-file=".claude/settings.local.json"]');
    await expect.poll(() => file.getAttribute('data-action'), POLL).toBe('create');
    expect(await file.locator('pre.diff').textContent()).toContain(`+    "ANTHROPIC_BASE_URL": "http://127.0.0.1:${port}"`);
    expect(await dialog.locator('[data-client="codex"]').textContent()).toContain('unsupported project-local config keys');

    await dialog.getByLabel('Model (as LiteLLM names it; optional)').fill('gpt-4o');
    await expect.poll(() => dialog.locator('[data-client="junie"] pre.diff').textContent(), POLL).toContain('"id": "gpt-4o"');
    await dialog.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => page.locator('.status-line').textContent(), POLL).toMatch(/^Wrote \d+ files for alpha$/);
    expect(JSON.parse(await readFile(settingsFile, 'utf8'))).toMatchObject({ env: { ANTHROPIC_BASE_URL: `http://127.0.0.1:${port}` } });
    await expect.poll(() => file.getAttribute('data-action'), POLL).toBe('unchanged');

    await dialog.getByRole('button', { name: 'Undo setup' }).click();
    await expect.poll(() => existsSync(settingsFile), POLL).toBe(false);
    await expect.poll(() => file.getAttribute('data-action'), POLL).toBe('create');
    await page.keyboard.press('Escape');
    await expect.poll(() => openDialog(page).count(), POLL).toBe(0);
  });

  it('shows the text selected for copying by hand when the browser has no clipboard', async () => {
    // As in a browser or context without the async clipboard API.
    const bare = await openPage(browser, served.dashboardUrl, {
      initScript: "Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined });",
    });
    try {
      const card = projectCard(bare.page, 'alpha');
      await card.getByRole('button', { name: 'Copy base URL' }).click();
      const dialog = openDialog(bare.page);
      await dialog.getByRole('heading', { name: 'Copy it yourself' }).waitFor();
      const port = (await card.locator('.project-port').textContent())?.slice(1);
      const area = dialog.locator('textarea');
      expect(await area.inputValue()).toBe(`http://127.0.0.1:${port}/v1`);
      await expect.poll(() => area.evaluate((el: HTMLTextAreaElement) => [el.selectionStart, el.selectionEnd]), POLL).toEqual([
        0,
        `http://127.0.0.1:${port}/v1`.length,
      ]);
      expect(await bare.page.locator('.status-line').textContent()).toContain('Could not copy base URL of alpha');
      await bare.page.keyboard.press('Escape');
      await expect.poll(() => openDialog(bare.page).count(), POLL).toBe(0);
      expect(bare.problems).toEqual([]);
    } finally {
      await bare.context.close();
    }
  });

  it('lists recent requests and the headers sent, live as requests arrive', async () => {
    const card = projectCard(page, 'alpha');
    const port = Number((await card.locator('.project-port').textContent())?.slice(1));
    await card.getByRole('button', { name: 'Requests & headers' }).click();
    await card.getByText('No requests yet').waitFor();

    const response = await fetch(`http://127.0.0.1:${port}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'e2e-model', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(response.status).toBe(200);
    await response.arrayBuffer();

    const row = card.locator('table.requests tbody tr');
    await expect.poll(() => row.count(), POLL).toBe(1);
    const cells = await row.first().locator('td').allTextContents();
    expect(cells.slice(1)).toEqual(['POST', '/v1/chat/completions', '200', expect.stringMatching(/^\d[\d,]* ms$/), 'e2e-model', 'No']);
    await expect.poll(() => card.locator('.facts').textContent(), POLL).toContain('1 request, 0 errors');

    // The preview lists exactly what the engine says it sends, no more and no less.
    const preview = await served.api<{ target: string; headers: Array<{ name: string; value: string }> }>('previewHeaders', {
      project: await served.makeProject('alpha'),
    });
    expect(preview.ok).toBe(true);
    if (!preview.ok) return;
    await expect.poll(() => card.locator('.header-list dt').allTextContents(), POLL).toEqual(preview.value.headers.map((h) => h.name));
    expect(await card.locator('.header-list dd').allTextContents()).toEqual(preview.value.headers.map((h) => h.value));
    expect(await card.locator('.header-preview').textContent()).toContain(served.upstream.url);
  });

  it('shows a taken port as an error with its fix, and reassigns a free port', async () => {
    expect(blockedPort).toBeGreaterThanOrEqual(served.portRange.start);
    // Another tool (the Python seed, say) maps gamma to a port that is taken by the time it opens.
    expect(Object.keys(await served.registryMappings())).not.toContain(blockedProject);
    await served.addMappingFromOutside(blockedProject, blockedPort);

    await page.getByRole('button', { name: 'Open project folder…' }).first().click();
    await openDialog(page).getByLabel('Absolute folder path').fill(blockedProject);
    await openDialog(page).getByRole('button', { name: 'Open folder' }).click();
    const card = projectCard(page, 'gamma');
    await expect.poll(() => card.locator('.badge').textContent(), POLL).toBe('Error');
    expect(await card.locator('.project-port').textContent()).toBe(`:${blockedPort}`);
    expect(await card.locator('.project-error').textContent()).toContain('PORT_IN_USE');

    await card.getByRole('button', { name: 'Reassign port' }).click();
    await expect.poll(() => card.locator('.badge').textContent(), POLL).toBe('Running');
    const newPort = (await served.registryMappings())[blockedProject];
    expect(newPort).toBeTypeOf('number');
    expect(newPort).not.toBe(blockedPort);
    expect(await card.locator('.project-port').textContent()).toBe(`:${newPort}`);
    expect(await card.getByRole('button', { name: 'Reassign port' }).count()).toBe(0);
  });

  it("offers to rewrite client files that still name a project's old port", async () => {
    const project = await served.makeProject('delta');
    const opened = await served.cli('open', project);
    expect(opened.code, opened.stderr).toBe(0);
    const setup = await served.cli('setup', project, '--client', 'claude');
    expect(setup.code, setup.stderr).toBe(0);
    const oldPort = (await served.registryMappings())[project] as number;
    const card = projectCard(page, 'delta');
    await expect.poll(() => card.locator('.badge').textContent(), POLL).toBe('Running');
    // The port moves behind the window's back, as `interceptor remove` + `allocate` would do it.
    const removed = await served.cli('remove', project);
    expect(removed.code, removed.stderr).toBe(0);
    await served.addMappingFromOutside(project, served.portRange.end - 1);
    const notice = page.locator('[data-notice-kind="client-files-stale"]');
    await expect.poll(() => notice.textContent(), POLL).toContain(`.claude/settings.local.json (port ${oldPort})`);
    await notice.getByRole('button', { name: 'Rewrite client files' }).click();
    await expect.poll(() => page.locator('.status-line').textContent(), POLL).toBe(`Rewrote 1 client file for port ${served.portRange.end - 1}`);
    const settings = JSON.parse(await readFile(path.join(project, '.claude', 'settings.local.json'), 'utf8')) as { env: Record<string, string> };
    expect(settings.env.ANTHROPIC_BASE_URL).toBe(`http://127.0.0.1:${served.portRange.end - 1}`);
    await expect.poll(() => notice.count(), POLL).toBe(0);

    // Leave the list as the tests after this one expect it.
    expect((await served.cli('close', project)).code).toBe(0);
    expect((await served.cli('remove', project)).code).toBe(0);
    await expect.poll(() => card.count(), POLL).toBe(0);
  });

  it('removes a mapping only after confirmation, and Escape or Cancel changes nothing', async () => {
    const beta = await served.makeProject('beta');
    const card = projectCard(page, 'beta');
    await card.getByRole('button', { name: 'Remove…' }).click();
    const dialog = openDialog(page);
    await dialog.getByRole('heading', { name: 'Remove beta?' }).waitFor();
    expect(await dialog.textContent()).toContain(beta);
    // Cancel has the focus, so Enter alone never removes anything.
    await expect.poll(() => focusedElement(page), POLL).toMatchObject({ text: 'Cancel', inDialog: true });
    // Tab stays inside the dialog.
    for (let i = 0; i < 4; i += 1) {
      await page.keyboard.press('Tab');
      expect((await focusedElement(page)).inDialog).toBe(true);
    }
    await page.keyboard.press('Escape');
    await expect.poll(() => openDialog(page).count(), POLL).toBe(0);
    expect(Object.keys(await served.registryMappings())).toContain(beta);

    await card.getByRole('button', { name: 'Remove…' }).click();
    await openDialog(page).getByRole('button', { name: 'Cancel' }).click();
    expect(Object.keys(await served.registryMappings())).toContain(beta);

    await card.getByRole('button', { name: 'Remove…' }).click();
    await openDialog(page).getByRole('button', { name: 'Remove mapping' }).click();
    await expect.poll(() => card.count(), POLL).toBe(0);
    expect(Object.keys(await served.registryMappings())).not.toContain(beta);
    expect(await page.locator('.status-line').textContent()).toContain('Removed the mapping of beta');
    // The card took its buttons with it; the keyboard focus stays in the page.
    await expect.poll(() => focusedElement(page), POLL).toMatchObject({ tag: 'main' });
  });

  it('resets the registry after a confirmation that says where the backup goes', async () => {
    const count = Object.keys(await served.registryMappings()).length;
    expect(count).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Reset all…' }).click();
    const dialog = openDialog(page);
    await dialog.getByRole('heading', { name: 'Reset all mappings?' }).waitFor();
    const folder = served.registryFile.slice(0, served.registryFile.lastIndexOf('/'));
    expect(await dialog.textContent()).toContain(`A backup of the current registry is kept first, in ${folder}`);
    await dialog.getByRole('button', { name: 'Reset registry' }).click();

    const notice = page.locator('.banner-info .banner-text');
    await expect.poll(() => notice.textContent(), POLL).toMatch(/^Registry reset: \d+ mappings? removed\. The previous registry was kept as .+\.$/);
    const backup = /kept as (.+)\.$/.exec((await notice.textContent()) ?? '')?.[1] ?? '';
    expect(backup.startsWith(folder)).toBe(true);
    expect(existsSync(backup)).toBe(true);
    expect(await served.registryMappings()).toEqual({});
    // Pinned folders stay listed, stopped and without a port until they are started again.
    await expect.poll(() => page.locator('li.project .project-port').allTextContents(), POLL).toEqual(['no port', 'no port']);
    expect(await page.locator('li.project .badge').allTextContents()).toEqual(['Stopped', 'Stopped']);
  });

  it('shows the shared port: the one URL for every client, its last requests with project, rule, process and folder, projects without a port, and what it would send now', async () => {
    const snapshot = await served.api<{ idePort: { port: number; url: string; status: string } }>('getSnapshot');
    if (!snapshot.ok) throw new Error(snapshot.message);
    const { port, url, status } = snapshot.value.idePort;
    expect(status).toBe('running');
    const section = page.locator('section.ide-port');
    await section.getByText(`One URL for every client (AI Assistant, Copilot, ProxyAI, Cline, Claude Code, Codex, Continue CLI): use ${url}`).waitFor();

    // A command-line agent (a Node process of its own) working inside an unregistered git repository:
    // attributed to the repository's top folder, with the process and folder that decided.
    const repo = await realpath(await mkdtemp(path.join(tmpdir(), 'interceptor-e2e-repo-')));
    execFileSync('git', ['init', '-q', repo]);
    const src = path.join(repo, 'src');
    await mkdir(src);
    const script = `fetch('http://127.0.0.1:${port}/v1/chat/completions',{method:'POST',headers:{'content-type':'application/json'},body:'{"model":"gpt-test","messages":[]}'}).then(async(r)=>{await r.arrayBuffer();process.exit(r.status===200?0:1)},()=>process.exit(2))`;
    const agent = spawn(process.execPath, ['-e', script], { cwd: src, detached: true, stdio: 'ignore' });
    expect(await new Promise((resolve) => agent.once('exit', resolve))).toBe(0);
    const row = section.locator('table.requests tbody tr').first();
    await expect.poll(() => row.textContent(), POLL).toContain('git-root');
    expect(await row.textContent()).toContain('gpt-test');
    expect(await row.textContent()).toContain(`node in ${src}`);
    await expect.poll(() => section.getByRole('list', { name: 'Projects without a port' }).textContent(), POLL).toContain(path.basename(repo));
    await rm(repo, { recursive: true, force: true });

    const preview = await served.api<{ attribution: { project: string | null; rule: string }; headers: Array<{ name: string; value: string }> }>('previewIdePortHeaders');
    expect(preview.ok && preview.value.attribution).toEqual({ project: null, rule: 'unattributed' });
  });

  it('ran without console errors or CSP violations', () => {
    expect(opened.problems).toEqual([]);
  });

  it('says so when the engine goes away, and shows why a call fails', async () => {
    await served.stop();
    await expect.poll(() => page.locator('.banner-warn').allTextContents(), POLL).toContain(
      'Lost the connection to Interceptor; reconnecting… What you see may be out of date.',
    );
    await page.getByRole('button', { name: 'Open project folder…' }).first().click();
    const dialog = openDialog(page);
    await dialog.getByLabel('Absolute folder path').fill(await served.makeProject('omega'));
    await dialog.getByRole('button', { name: 'Open folder' }).click();
    await expect.poll(() => dialog.locator('.field-error').textContent(), POLL).toBe(
      'Could not open this folder: Cannot reach Interceptor. Is it still running?',
    );
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    // A failed action on a row is an alert in plain words, until dismissed.
    const card = page.locator('li.project').first();
    const name = await card.locator('h3').textContent();
    await card.getByRole('button', { name: 'Start' }).click();
    const alert = page.locator('[role="alert"] .banner-error');
    await expect.poll(() => alert.locator('.banner-text').textContent(), POLL).toBe(
      `Could not start ${name}: Cannot reach Interceptor. Is it still running?`,
    );
    await alert.getByRole('button', { name: 'Dismiss' }).click();
    expect(await alert.count()).toBe(0);
  });
});
