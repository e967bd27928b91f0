import { describe, expect, it } from 'vitest';
import {
  applySettingsUpdate,
  checkSetting,
  checkStoredSettings,
  DEFAULT_SETTINGS,
  SETTING_KEYS,
  withDefaults,
  type SettingKey,
} from '../../../shared/settings-fields';
import { inPortList, parsePortList, parsePortText } from '../../../shared/port-list';
import { isHostName, isHttpOrigin, isHttpUrl } from '../../../shared/text-checks';
import { VALID_SAMPLES, INVALID_SAMPLES } from './setting-samples';

describe('per-key checks', () => {
  it('has samples for every key', () => {
    expect(Object.keys(VALID_SAMPLES).sort()).toEqual([...SETTING_KEYS].sort());
    expect(Object.keys(INVALID_SAMPLES).sort()).toEqual([...SETTING_KEYS].sort());
  });

  it('accepts every default', () => {
    for (const key of SETTING_KEYS) {
      if (key === 'apiKey') continue; // null default: "no key", not a storable value
      expect(checkSetting(key, DEFAULT_SETTINGS[key]), key).toBeNull();
    }
  });

  for (const key of SETTING_KEYS) {
    it(`${key}: accepts the valid samples`, () => {
      for (const value of VALID_SAMPLES[key]) expect(checkSetting(key, value), JSON.stringify(value)).toBeNull();
    });
    it(`${key}: refuses the invalid samples with a message`, () => {
      for (const value of INVALID_SAMPLES[key as SettingKey]) {
        const message = checkSetting(key, value);
        expect(message, JSON.stringify(value)).toEqual(expect.any(String));
        expect(message!.length).toBeLessThan(400);
      }
    });
  }

  it('never echoes an API key in its message', () => {
    for (const bad of ['has space in it 123456', 'tab\there-123456', 'ünïcode-key-123456']) {
      expect(checkSetting('apiKey', bad)).not.toContain('123456');
    }
  });
});

describe('text checks', () => {
  it('recognises http(s) URLs without credentials, query or fragment', () => {
    for (const ok of ['http://localhost:4000', 'https://litellm.example.com', 'http://10.0.0.5:4000/v1', 'HTTP://[::1]:4000/', 'http://litellm_proxy:4000']) {
      expect(isHttpUrl(ok), ok).toBe(true);
    }
    for (const bad of ['ftp://x', 'http://', 'http://user:pw@host', 'http://h:0', 'http://h:65536', 'http://h/x?y=1', 'http://h/#a', 'http://h /x', 'localhost:4000', '']) {
      expect(isHttpUrl(bad), bad).toBe(false);
    }
  });

  it('recognises origins and hosts', () => {
    expect(isHttpOrigin('http://localhost:5173')).toBe(true);
    expect(isHttpOrigin('http://localhost:5173/')).toBe(false);
    expect(isHostName('127.0.0.1')).toBe(true);
    expect(isHostName('::1')).toBe(true);
    expect(isHostName('256.1.1.1')).toBe(false);
    expect(isHostName('bad host')).toBe(false);
  });
});

describe('port lists', () => {
  it('parses single ports and ranges, ignoring blanks and empty items', () => {
    expect(parsePortList(' 8900, 8950-8960 ,,9000 - 9001,')).toEqual({
      ok: true,
      ranges: [
        { start: 8900, end: 8900 },
        { start: 8950, end: 8960 },
        { start: 9000, end: 9001 },
      ],
    });
    expect(parsePortList('')).toEqual({ ok: true, ranges: [] });
  });

  it.each([
    ['8900,abc', '"abc"'],
    ['0', 'ports must be between 1 and 65535'],
    ['70000', 'ports must be between 1 and 65535'],
    ['9000-8000', 'from the lower port to the higher'],
    ['1-2-3', '"1-2-3"'],
  ])('refuses %j naming the item', (text, expected) => {
    const result = parsePortList(text);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toContain(expected);
  });

  it('answers membership and parses port text', () => {
    const parsed = parsePortList('8900,8950-8960');
    expect(parsed.ok && inPortList(parsed.ranges, 8955)).toBe(true);
    expect(parsed.ok && inPortList(parsed.ranges, 8901)).toBe(false);
    expect(parsePortText(' 8080 ')).toBe(8080);
    expect(parsePortText('0')).toBeNull();
    expect(parsePortText('0', { allowZero: true })).toBe(0);
    expect(parsePortText('8080x')).toBeNull();
    expect(parsePortText('-1')).toBeNull();
  });
});

describe('checkStoredSettings', () => {
  it('sorts a file into valid values, invalid keys and unknown keys', () => {
    const raw: unknown = JSON.parse(
      '{"targetUrl":5,"startAtLogin":true,"portRange":{"start":9000,"end":8000},"futureKey":1,"__internal__":{"x":1},"__proto__":{"polluted":true}}',
    );
    const check = checkStoredSettings(raw);
    expect(check.values).toEqual({ startAtLogin: true });
    expect(check.invalid.map((problem) => problem.key).sort()).toEqual(['__proto__', 'portRange', 'targetUrl']);
    expect(check.unknownKeys).toEqual(['futureKey']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses a file that is not an object', () => {
    for (const raw of [[], 'text', 42, null]) {
      expect(checkStoredSettings(raw).invalid).toEqual([{ key: '(file)', message: expect.stringContaining('must hold a JSON object') }]);
    }
  });
});

describe('applySettingsUpdate and withDefaults', () => {
  it('sets, removes (null) and merges header switches one by one', () => {
    const stored = { targetUrl: 'http://a:1', headerProfile: { litellm: false }, startAtLogin: true };
    const next = applySettingsUpdate(stored, { targetUrl: null, headerProfile: { endUserId: true }, bindHost: '::1' });
    expect(next).toEqual({ headerProfile: { litellm: false, endUserId: true }, startAtLogin: true, bindHost: '::1' });
    expect(stored).toEqual({ targetUrl: 'http://a:1', headerProfile: { litellm: false }, startAtLogin: true });
  });

  it('fills missing keys and switches with defaults, without sharing the default objects', () => {
    const values = withDefaults({ headerProfile: { seedCompat: false } });
    expect(values.headerProfile).toEqual({ litellm: true, seedCompat: false, endUserId: false, identifies: 'machine' });
    expect(values.apiKey).toBeNull();
    values.pinnedProjects.push('/x');
    expect(DEFAULT_SETTINGS.pinnedProjects).toEqual([]);
  });
});
