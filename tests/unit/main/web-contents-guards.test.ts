import { describe, expect, it } from 'vitest';
import { APP_ORIGIN, CONTENT_SECURITY_POLICY, isOwnOrigin, isOwnPageUrl, pageResponseHeaders, PAGE_URL, requestedPath } from '../../../electron/main/app-page';
import { isAllowedExternalUrl } from '../../../electron/main/external-links';
import { createNavigationGuard, isPermissionAllowed } from '../../../electron/main/web-contents-guards';

function preventable() {
  const state = { prevented: false, preventDefault: () => (state.prevented = true) };
  return state;
}

function guard() {
  const opened: string[] = [];
  const logs: string[] = [];
  return { opened, logs, guard: createNavigationGuard({ openExternal: (url) => opened.push(url), log: (line) => logs.push(line) }) };
}

describe('navigation guard', () => {
  it('prevents every navigation; allow-listed documentation opens in the OS browser', () => {
    const { guard: navigation, opened, logs } = guard();
    for (const url of ['https://evil.example/', 'file:///etc/passwd', `${APP_ORIGIN}/other.html`, 'https://docs.litellm.ai/docs/proxy/quick_start']) {
      const event = preventable();
      navigation.onNavigate(event, url);
      expect(event.prevented, url).toBe(true);
    }
    expect(opened).toEqual(['https://docs.litellm.ai/docs/proxy/quick_start']);
    expect(logs).toHaveLength(3);
  });

  it('denies every window.open', () => {
    const { guard: navigation, opened } = guard();
    expect(navigation.onWindowOpen({ url: 'https://evil.example/?token=secret' })).toEqual({ action: 'deny' });
    expect(navigation.onWindowOpen({ url: 'https://github.com/BerriAI/litellm' })).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://github.com/BerriAI/litellm']);
  });

  it('logs blocked URLs without their query', () => {
    const { guard: navigation, logs } = guard();
    navigation.onWindowOpen({ url: 'https://evil.example/steal?token=secret' });
    expect(logs).toEqual(['blocked window.open to https://evil.example/steal']);
  });

  it('prevents <webview>', () => {
    const { guard: navigation } = guard();
    const event = preventable();
    navigation.onAttachWebview(event);
    expect(event.prevented).toBe(true);
  });
});

describe('isAllowedExternalUrl', () => {
  it('allows https documentation hosts only', () => {
    expect(isAllowedExternalUrl('https://docs.litellm.ai/docs/')).toBe(true);
    expect(isAllowedExternalUrl('https://www.jetbrains.com/help/ai-assistant/')).toBe(true);
    for (const url of [
      'http://docs.litellm.ai/',
      'https://docs.litellm.ai.evil.example/',
      'https://user:pw@github.com/',
      'https://github.com:8443/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://server/share',
      'ms-settings:',
      'not a url',
      '',
    ]) {
      expect(isAllowedExternalUrl(url), url).toBe(false);
    }
  });
});

describe('permissions', () => {
  it('grants only clipboard writes, only to our page', () => {
    expect(isPermissionAllowed('clipboard-sanitized-write', PAGE_URL, isOwnOrigin)).toBe(true);
    expect(isPermissionAllowed('clipboard-sanitized-write', APP_ORIGIN, isOwnOrigin)).toBe(true);
    expect(isPermissionAllowed('clipboard-sanitized-write', 'https://evil.example', isOwnOrigin)).toBe(false);
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fileSystem']) {
      expect(isPermissionAllowed(permission, PAGE_URL, isOwnOrigin), permission).toBe(false);
    }
  });
});

describe('app page', () => {
  it('knows its own page and origin', () => {
    expect(isOwnPageUrl(PAGE_URL)).toBe(true);
    expect(isOwnPageUrl(`${APP_ORIGIN}/`)).toBe(true);
    expect(isOwnPageUrl(`${APP_ORIGIN}/app.js`)).toBe(false);
    expect(isOwnOrigin(`${APP_ORIGIN}/app.js`)).toBe(true);
    expect(isOwnOrigin('app://other/index.html')).toBe(false);
    expect(isOwnOrigin('https://interceptor/index.html')).toBe(false);
  });

  it('maps requests to paths only for our host', () => {
    expect(requestedPath(`${APP_ORIGIN}/app.js?v=1`)).toBe('/app.js');
    expect(requestedPath(`${APP_ORIGIN}/%2e%2e/secret`)).toBe('/secret');
    expect(requestedPath(`${APP_ORIGIN}/../../etc/passwd`)).toBe('/etc/passwd');
    expect(requestedPath('app://elsewhere/index.html')).toBeNull();
  });

  it('sends a strict policy with every file', () => {
    const headers = pageResponseHeaders('text/html; charset=utf-8');
    expect(headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-|\*|https?:/);
  });
});
