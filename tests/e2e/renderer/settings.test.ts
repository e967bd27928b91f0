// The settings view in real Chromium against `interceptor serve`: where each value comes from, inline
// messages for values the shared checks refuse (and nothing written), saving to the settings file,
// the write-only API key, and a header preview that matches what the engine sends.
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright';
import { redactSecret } from '../../../shared/format';
import type { HeaderPreview } from '../../../shared/api';
import { chromiumMissing, launchChromium, openPage, type OpenedPage } from '../../helpers/chromium';
import { fieldError, focusedElement } from './page-helpers';
import { startServe, type Served } from './serve-fixture';

const POLL = { timeout: 10_000, interval: 50 };

describe.skipIf(chromiumMissing !== null)(`settings view in Chromium${chromiumMissing ? ` (skipped: ${chromiumMissing})` : ''}`, () => {
  let served: Served;
  let browser: Browser;
  let opened: OpenedPage;
  let page: Page;
  let project: string;

  const hintOf = (id: string) => page.locator(`#setting-${id}`).locator('xpath=..').locator('.hint');
  const previewNames = () => page.locator('.preview .header-list dt').allTextContents();
  const engineHeaders = async () => {
    const result = await served.api<HeaderPreview>('previewHeaders', { project });
    if (!result.ok) throw new Error(result.message);
    return result.value.headers;
  };

  beforeAll(async () => {
    served = await startServe();
    project = await served.makeProject('delta');
    const result = await served.api('openProjectFolder', { path: project });
    expect(result.ok).toBe(true);
    browser = await launchChromium();
    opened = await openPage(browser, served.dashboardUrl);
    page = opened.page;
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Settings', level: 2 }).waitFor();
  });

  afterAll(async () => {
    await opened?.context.close();
    await browser?.close();
    await served?.stop();
  });

  it('says where every value comes from', async () => {
    expect(await page.locator('#setting-targetUrl').inputValue()).toBe(served.upstream.url);
    expect(await hintOf('targetUrl').textContent()).toContain('From TARGET_LLM_URL — environment wins over settings');
    expect(await hintOf('bindHost').textContent()).toContain('Default');
    const range = await page.locator('#settings-hint-portRange').textContent();
    expect(range).toContain('From INTERCEPTOR_PORT_MIN — environment wins over settings');
    expect(range).toContain('From INTERCEPTOR_PORT_MAX — environment wins over settings');
    expect(await page.locator('#setting-portStart').inputValue()).toBe(String(served.portRange.start));
    expect(await page.getByText(served.settingsFile).count()).toBe(1);
  });

  it('refuses bad values with a message next to the field and writes nothing', async () => {
    const before = await served.readSettingsFile();

    await page.locator('#setting-targetUrl').fill('ftp://x');
    await page.locator('#setting-targetUrl').blur();
    await expect.poll(() => fieldError(page, 'targetUrl').textContent(), POLL).toContain('Must be an http:// or https:// URL');
    expect(await page.locator('#setting-targetUrl').getAttribute('aria-invalid')).toBe('true');
    // The message is tied to the field for screen readers.
    expect(await page.locator('#setting-targetUrl').getAttribute('aria-describedby')).toContain('settings-error-targetUrl');

    await page.locator('#setting-reservedPorts').fill('8960-8950');
    await page.locator('#setting-reservedPorts').blur();
    await expect.poll(() => fieldError(page, 'reservedPorts').textContent(), POLL).toContain('lower port to the higher');

    await page.locator('#setting-portStart').fill('30000');
    await page.locator('#setting-portEnd').fill('29000');
    await page.locator('#setting-portEnd').blur();
    await expect.poll(() => fieldError(page, 'portRange').textContent(), POLL).toContain('must not be above end');

    await page.locator('#setting-bodyLimitMb').fill('lots');
    await page.locator('#setting-bodyLimitMb').blur();
    await expect.poll(() => fieldError(page, 'bodyLimitMb').textContent(), POLL).toContain('whole number');

    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => page.locator('.status-line').textContent(), POLL).toBe('Settings not saved: check LiteLLM URL');
    expect(await focusedElement(page)).toMatchObject({ tag: 'input' });
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('setting-targetUrl');
    expect(await served.readSettingsFile()).toEqual(before);

    await page.getByRole('button', { name: 'Discard changes' }).click();
    expect(await page.locator('#setting-targetUrl').inputValue()).toBe(served.upstream.url);
    expect(await page.locator('[data-field-error]:not(:empty)').count()).toBe(0);
  });

  it('saves only what changed to the settings file, and the header preview follows', async () => {
    await expect.poll(previewNames, POLL).toEqual((await engineHeaders()).map((h) => h.name));
    const namesBefore = await previewNames();

    await page.getByLabel('Original interceptor headers').uncheck();
    await page.locator('#setting-reservedPorts').fill('8900, 8950-8960');
    expect(await page.locator('.form-actions').textContent()).toContain('2 unsaved changes');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => page.locator('.status-line').textContent(), POLL).toBe('Settings saved');

    const file = await served.readSettingsFile();
    expect(file.reservedPorts).toBe('8900, 8950-8960');
    expect(file.headerProfile).toEqual({ seedCompat: false });
    expect(file).not.toHaveProperty('targetUrl');
    expect(await hintOf('reservedPorts').textContent()).toContain('From the settings file');
    expect(await page.locator('.form-actions').textContent()).toContain('No unsaved changes');

    // Exactly what the engine now sends: the compatibility headers are gone.
    const engine = (await engineHeaders()).map((h) => h.name);
    expect(engine.length).toBeLessThan(namesBefore.length);
    await expect.poll(previewNames, POLL).toEqual(engine);

    await hintOf('reservedPorts').getByRole('button', { name: 'Use default' }).click();
    await expect.poll(() => hintOf('reservedPorts').textContent(), POLL).toContain('Default');
    expect(await page.locator('#setting-reservedPorts').inputValue()).toBe('');
    expect(await served.readSettingsFile()).not.toHaveProperty('reservedPorts');
  });

  it('chooses what identifies the user, and the preview shows what LiteLLM and a provider would get', async () => {
    const previewValues = () => page.locator('.preview .header-list dd').allTextContents();
    await expect.poll(previewNames, POLL).toContain('x-interceptor-instance');
    // Every x-… header is marked as reaching the provider when LiteLLM forwards client headers.
    expect(await page.locator('.preview .header-list dd.to-provider').count()).toBe((await previewNames()).filter((name) => name.startsWith('x-')).length);

    await page.getByLabel('What identifies you').selectOption('project');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => page.locator('.status-line').textContent(), POLL).toBe('Settings saved');
    expect((await served.readSettingsFile()).headerProfile).toMatchObject({ identifies: 'project' });

    await expect.poll(previewNames, POLL).not.toContain('x-interceptor-instance');
    expect(await previewNames()).toEqual((await engineHeaders()).map((h) => h.name));
    const metadata = (await previewValues())[(await previewNames()).indexOf('x-litellm-spend-logs-metadata')];
    expect(JSON.parse(metadata ?? '{}')).not.toHaveProperty('interceptor_folder');
    expect(JSON.parse(metadata ?? '{}')).not.toHaveProperty('interceptor_instance');

    await page.getByLabel('What identifies you').selectOption('machine');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(previewNames, POLL).toContain('x-interceptor-instance');
  });

  it('keeps the API key write-only', async () => {
    const key = 'sk-e2e-0123456789abcdefXYZ';
    const input = page.locator('#setting-apiKey');
    expect(await input.getAttribute('type')).toBe('password');

    await input.fill('has a space');
    await page.getByRole('button', { name: 'Save key' }).click();
    await expect.poll(() => fieldError(page, 'apiKey').textContent(), POLL).toContain('printable ASCII');
    expect(await served.readSettingsFile()).not.toHaveProperty('apiKey');

    // Enter saves the key, and only the key: the surrounding settings form is not submitted.
    await input.fill(key);
    await input.press('Enter');
    await expect.poll(() => page.locator('.api-key .hint').first().textContent(), POLL).toContain(`A key is set: ${redactSecret(key)}`);
    expect(await input.inputValue()).toBe('');
    expect(await page.evaluate(() => document.body.innerText)).not.toContain(key);
    expect((await served.readSettingsFile()).apiKey).toBe(key);
    await expect.poll(() => page.locator('.preview .header-list .tag').allTextContents(), POLL).toEqual(['redacted']);

    await page.getByRole('button', { name: 'Remove key' }).click();
    await expect.poll(() => page.locator('.api-key .hint').first().textContent(), POLL).toContain('No key is set');
    expect(await served.readSettingsFile()).not.toHaveProperty('apiKey');
  });

  it('shows a failure the engine reports in its own words, and keeps the edit', async () => {
    // The settings file replaced by a folder: the engine cannot write it, whatever the value.
    await rm(served.settingsFile, { force: true });
    await mkdir(path.join(served.settingsFile, 'blocker'), { recursive: true });
    try {
      await page.locator('#setting-bodyLimitMb').fill('64');
      await page.getByRole('button', { name: 'Save changes' }).click();
      await expect.poll(() => fieldError(page, 'form').textContent(), POLL).toContain('Cannot write settings file');
      expect(await fieldError(page, 'form').textContent()).toContain('EISDIR');
      expect(await page.locator('.status-line').textContent()).toMatch(/^Settings not saved: cannot write settings file/);
      expect(await page.locator('#setting-bodyLimitMb').inputValue()).toBe('64');
    } finally {
      await rm(served.settingsFile, { recursive: true, force: true });
    }
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => page.locator('.status-line').textContent(), POLL).toBe('Settings saved');
    expect((await served.readSettingsFile()).bodyLimitMb).toBe(64);
    expect(await page.locator('[data-field-error]:not(:empty)').count()).toBe(0);
  });

  it('ran without console errors or CSP violations', () => {
    expect(opened.problems).toEqual([]);
  });
});
