import { describe, expect, it } from 'vitest';
import {
  assertSettingsEnvValid,
  defaultEffectiveSettings,
  effectiveSettings,
  plainSettings,
  settingsView,
} from '../../../electron/core/settings/effective-settings';
import { InterceptorError } from '../../../electron/core/errors';
import { DEFAULT_SETTINGS, SETTING_KEYS } from '../../../shared/settings-fields';

const KEY = 'sk-live-0123456789abcdefSECRET';

describe('effectiveSettings', () => {
  it('uses defaults when nothing is set', () => {
    const { values, problems } = effectiveSettings({}, {});
    expect(problems).toEqual([]);
    for (const key of SETTING_KEYS) expect(values[key].source, key).toBe('default');
    expect(plainSettings(values)).toEqual(DEFAULT_SETTINGS);
    expect(plainSettings(defaultEffectiveSettings())).toEqual(DEFAULT_SETTINGS);
  });

  it('marks stored values as coming from settings', () => {
    const { values } = effectiveSettings({ targetUrl: 'http://10.0.0.1:4000', headerProfile: { endUserId: true }, portRange: { start: 9000, end: 9100 } }, {});
    expect(values.targetUrl).toEqual({ value: 'http://10.0.0.1:4000', source: 'settings' });
    expect(values.headerProfile).toEqual({ value: { litellm: true, seedCompat: true, endUserId: true, identifies: 'machine' }, source: 'settings' });
    expect(values.portRange).toEqual({
      value: { start: 9000, end: 9100 },
      source: 'settings',
      parts: { start: { source: 'settings' }, end: { source: 'settings' } },
    });
    expect(values.bindHost.source).toBe('default');
  });

  it('lets every environment variable win over the settings file, naming it', () => {
    const stored = { targetUrl: 'http://a:1', apiKey: 'sk-from-settings-000000', bindHost: 'localhost', portRange: { start: 9000, end: 9100 }, reservedPorts: '9001', dashboardPort: 7000 };
    const env = {
      TARGET_LLM_URL: ' https://litellm.example.com ',
      LITELLM_API_KEY: KEY,
      INTERCEPTOR_HOST: '::1',
      INTERCEPTOR_PORT_MIN: '9050',
      INTERCEPTOR_RESERVED_PORTS: '9060-9070',
      INTERCEPTOR_DASHBOARD_PORT: '0',
    };
    const { values, problems } = effectiveSettings(stored, env);
    expect(problems).toEqual([]);
    expect(values.targetUrl).toEqual({ value: 'https://litellm.example.com', source: 'env', envVar: 'TARGET_LLM_URL' });
    expect(values.apiKey).toEqual({ value: KEY, source: 'env', envVar: 'LITELLM_API_KEY' });
    expect(values.bindHost).toEqual({ value: '::1', source: 'env', envVar: 'INTERCEPTOR_HOST' });
    expect(values.reservedPorts).toEqual({ value: '9060-9070', source: 'env', envVar: 'INTERCEPTOR_RESERVED_PORTS' });
    expect(values.dashboardPort).toEqual({ value: 0, source: 'env', envVar: 'INTERCEPTOR_DASHBOARD_PORT' });
    // One end from the environment, the other from the file.
    expect(values.portRange).toEqual({
      value: { start: 9050, end: 9100 },
      source: 'env',
      envVar: 'INTERCEPTOR_PORT_MIN',
      parts: { start: { source: 'env', envVar: 'INTERCEPTOR_PORT_MIN' }, end: { source: 'settings' } },
    });
  });

  it('treats empty variables as unset', () => {
    const { values, problems } = effectiveSettings({}, { TARGET_LLM_URL: '', INTERCEPTOR_PORT_MAX: '  ', LITELLM_API_KEY: '' });
    expect(problems).toEqual([]);
    expect(values.targetUrl.source).toBe('default');
    expect(values.apiKey).toEqual({ value: null, source: 'default' });
  });

  it.each([
    ['TARGET_LLM_URL', 'ftp://litellm', 'targetUrl', 'TARGET_LLM_URL: must be an http:// or https:// URL'],
    ['INTERCEPTOR_HOST', 'not a host', 'bindHost', 'INTERCEPTOR_HOST: must be a host name or IP address'],
    ['INTERCEPTOR_PORT_MIN', 'abc', 'portRange', 'INTERCEPTOR_PORT_MIN="abc" is not a port number (expected a whole number from 1 to 65535)'],
    ['INTERCEPTOR_PORT_MAX', '70000', 'portRange', 'INTERCEPTOR_PORT_MAX="70000" is not a port number'],
    ['INTERCEPTOR_PORT_MIN', '0', 'portRange', 'INTERCEPTOR_PORT_MIN="0" is not a port number'],
    ['INTERCEPTOR_RESERVED_PORTS', '8900,x', 'reservedPorts', 'INTERCEPTOR_RESERVED_PORTS="8900,x" has "x" where a port'],
    ['INTERCEPTOR_DASHBOARD_PORT', '-5', 'dashboardPort', 'INTERCEPTOR_DASHBOARD_PORT="-5" is not a port number'],
  ])('refuses %s=%j, names it and keeps the other value', (envVar, raw, key, expected) => {
    const { values, problems } = effectiveSettings({}, { [envVar]: raw });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ severity: 'error', key, envVar });
    expect(problems[0]!.message).toContain(expected);
    expect(problems[0]!.message).toMatch(/the variable is ignored$/);
    expect(values[key as 'targetUrl'].source).toBe('default');
  });

  it('refuses an API key variable without showing it', () => {
    const bad = 'sk-has a space-SECRETSECRET';
    const { values, problems } = effectiveSettings({ apiKey: 'sk-from-settings-000000' }, { LITELLM_API_KEY: bad });
    expect(problems[0]).toMatchObject({ key: 'apiKey', envVar: 'LITELLM_API_KEY' });
    expect(problems[0]!.message).not.toContain('SECRET');
    expect(values.apiKey).toEqual({ value: 'sk-from-settings-000000', source: 'settings' });
  });

  it('refuses a range the variables would turn backwards, naming both sources', () => {
    const { values, problems } = effectiveSettings({ portRange: { start: 9000, end: 9100 } }, { INTERCEPTOR_PORT_MIN: '9500' });
    expect(problems).toEqual([
      {
        severity: 'error',
        key: 'portRange',
        envVar: 'INTERCEPTOR_PORT_MIN',
        message: 'the port range is empty: INTERCEPTOR_PORT_MIN=9500 is above end 9100; the variables are ignored',
      },
    ]);
    expect(values.portRange.value).toEqual({ start: 9000, end: 9100 });
    expect(values.portRange.source).toBe('settings');
  });
});

describe('assertSettingsEnvValid', () => {
  it('passes clean environments and throws INVALID_ENV naming every bad variable', () => {
    expect(() => assertSettingsEnvValid(effectiveSettings({}, { TARGET_LLM_URL: 'http://x:1' }))).not.toThrow();
    let error: unknown;
    try {
      assertSettingsEnvValid(effectiveSettings({}, { TARGET_LLM_URL: 'nope', INTERCEPTOR_PORT_MAX: 'x' }));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InterceptorError);
    expect((error as InterceptorError).code).toBe('INVALID_ENV');
    expect((error as InterceptorError).message).toContain('TARGET_LLM_URL');
    expect((error as InterceptorError).message).toContain('INTERCEPTOR_PORT_MAX');
    expect((error as InterceptorError).message).not.toContain('ignored');
  });
});

describe('settingsView', () => {
  it('redacts the API key and keeps it nowhere else', () => {
    const result = effectiveSettings({ apiKey: KEY }, {});
    const view = settingsView('/cfg/interceptor-settings.json', result);
    expect(view.values.apiKey).toEqual({ value: 'sk-…CRET', source: 'settings', isSet: true });
    expect(JSON.stringify(view)).not.toContain('0123456789');
    // The raw key is still there for the proxy.
    expect(result.values.apiKey.value).toBe(KEY);
  });

  it('says when no key is set, and lists load and environment problems', () => {
    const result = effectiveSettings({}, { INTERCEPTOR_HOST: '!!' });
    const loadProblem = { severity: 'error' as const, key: 'targetUrl', message: 'settings key targetUrl: …' };
    const view = settingsView('/cfg/s.json', result, [loadProblem]);
    expect(view.values.apiKey).toEqual({ value: null, source: 'default', isSet: false });
    expect(view.problems.map((p) => p.key)).toEqual(['targetUrl', 'bindHost']);
    expect(view.file).toBe('/cfg/s.json');
  });

  it('does not share objects with the effective settings', () => {
    const result = effectiveSettings({ pinnedProjects: ['/a'] }, {});
    const view = settingsView('/f', result);
    view.values.pinnedProjects.value.push('/b');
    expect(result.values.pinnedProjects.value).toEqual(['/a']);
  });
});
