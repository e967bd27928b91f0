import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSettings, SETTINGS_FILE_NAME, type SettingsChange, type SettingsStore } from '../../../electron/core/settings/settings-store';
import { InterceptorError } from '../../../electron/core/errors';
import { tempDir } from '../../helpers/temp';

const FIXED_NOW = new Date('2025-03-04T05:06:07.089Z');
const BACKUP_SUFFIX = '.invalid-2025-03-04T05-06-07-089Z';
const open: SettingsStore[] = [];

function openStore(dir: string, options: { watch?: boolean } = {}): SettingsStore {
  const store = openSettings({ dir, now: () => FIXED_NOW, debounceMs: 30, ...options });
  open.push(store);
  return store;
}

afterEach(() => {
  for (const store of open.splice(0)) store.close();
});

function modeOf(file: string): number {
  return fs.statSync(file).mode & 0o777;
}

function thrown(action: () => unknown): InterceptorError {
  try {
    action();
  } catch (error) {
    if (error instanceof InterceptorError) return error;
    throw error;
  }
  throw new Error('expected an InterceptorError');
}

/** Resolves with the next change a store reports, or fails after `ms`. */
function nextChange(store: SettingsStore, ms = 5000): Promise<SettingsChange> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no settings change within ${ms} ms`));
    }, ms);
    const off = store.onChange((change) => {
      clearTimeout(timer);
      off();
      resolve(change);
    });
  });
}

describe('a fresh settings folder', () => {
  it('reads as empty (all defaults) without writing a file', async () => {
    const dir = path.join(await tempDir(), 'litellm');
    const store = openStore(dir);
    expect(store.file).toBe(path.join(dir, SETTINGS_FILE_NAME));
    expect(store.get()).toEqual({});
    expect(store.problems()).toEqual([]);
    expect(fs.existsSync(store.file)).toBe(false);
  });
});

describe('update', () => {
  it('writes only the chosen keys, 0600, and a new store reads them back', async () => {
    const dir = await tempDir();
    const store = openStore(dir);
    const stored = store.update({ targetUrl: 'https://litellm.example.com', apiKey: 'sk-secret-0123456789', headerProfile: { endUserId: true } });
    expect(stored).toEqual({ targetUrl: 'https://litellm.example.com', apiKey: 'sk-secret-0123456789', headerProfile: { endUserId: true } });
    expect(JSON.parse(fs.readFileSync(store.file, 'utf8'))).toEqual(stored);
    expect(modeOf(store.file)).toBe(0o600);
    expect(openStore(dir).get()).toEqual(stored);
  });

  it('puts a key back to its default with null and merges header switches', async () => {
    const store = openStore(await tempDir());
    store.update({ startAtLogin: true, headerProfile: { litellm: false } });
    expect(store.update({ startAtLogin: null, headerProfile: { seedCompat: false } })).toEqual({ headerProfile: { litellm: false, seedCompat: false } });
  });

  it.each([
    [{ targetUrl: 'ftp://nope' }, 'targetUrl: must be an http:// or https:// URL'],
    [{ portRange: { start: 9999, end: 8888 } }, 'portRange: start (9999) must not be above end (8888)'],
    [{ colour: 'blue' }, 'unknown setting "colour"'],
    [{ startAtLogin: true, dashboardPort: 'x' }, 'dashboardPort: must be a port'],
    [JSON.parse('{"__proto__":{"targetUrl":"http://evil"}}'), 'key "__proto__" is not allowed'],
    [{}, 'names no setting'],
    ['targetUrl=http://x', 'settings must be an object'],
  ])('refuses %j naming the key and writes nothing', async (update, expected) => {
    const store = openStore(await tempDir());
    store.update({ bindHost: 'localhost' });
    const before = fs.readFileSync(store.file);
    const error = thrown(() => store.update(update));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toContain(expected);
    expect(fs.readFileSync(store.file)).toEqual(before);
    expect(store.get()).toEqual({ bindHost: 'localhost' });
  });

  it('tells listeners about its own writes', async () => {
    const store = openStore(await tempDir());
    const changes: SettingsChange[] = [];
    store.onChange((change) => changes.push(change));
    store.update({ jetbrainsDetection: false });
    expect(changes).toEqual([{ stored: { jetbrainsDetection: false }, problems: [], origin: 'update' }]);
  });
});

describe('an invalid settings file', () => {
  it('that is not JSON is kept aside byte for byte, and every setting falls back to its default', async () => {
    const dir = await tempDir();
    const file = path.join(dir, SETTINGS_FILE_NAME);
    const broken = '{"targetUrl": "http://localhost:4000",\n  "apiKey": "sk-keep-me-0123456789"'; // truncated
    fs.writeFileSync(file, broken, { mode: 0o644 });
    const store = openStore(dir);
    expect(store.get()).toEqual({});
    const backup = file + BACKUP_SUFFIX;
    expect(fs.readFileSync(backup, 'utf8')).toBe(broken);
    expect(modeOf(backup)).toBe(0o600);
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({});
    expect(modeOf(file)).toBe(0o600);
    const [problem, ...others] = store.problems();
    expect(others).toEqual([]);
    expect(problem).toMatchObject({ severity: 'error', key: '(file)', backupPath: backup });
    expect(problem!.message).toContain(`settings file ${file} is not valid JSON`);
    expect(problem!.message).toContain(`kept at ${backup}`);
  });

  it('with wrong types keeps every valid key and names each invalid one', async () => {
    const dir = await tempDir();
    const file = path.join(dir, SETTINGS_FILE_NAME);
    const content = JSON.stringify({
      targetUrl: 42,
      startAtLogin: true,
      portRange: { start: 9000, end: 8000 },
      pinnedProjects: ['/home/me/alpha'],
      headerProfile: { litellm: 'sometimes' },
      futureSetting: { kept: true },
    });
    fs.writeFileSync(file, content);
    const store = openStore(dir);
    expect(store.get()).toEqual({ startAtLogin: true, pinnedProjects: ['/home/me/alpha'] });
    expect(fs.readFileSync(file + BACKUP_SUFFIX, 'utf8')).toBe(content);
    // Unknown keys are another version's business: kept in the file, reported as warnings.
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({ startAtLogin: true, pinnedProjects: ['/home/me/alpha'], futureSetting: { kept: true } });
    const problems = store.problems();
    expect(problems.filter((p) => p.severity === 'error').map((p) => p.key).sort()).toEqual(['headerProfile', 'portRange', 'targetUrl']);
    expect(problems.find((p) => p.key === 'portRange')!.message).toBe(
      `settings key portRange: start (9000) must not be above end (8000); the default is used instead and the file as it was is kept at ${file}${BACKUP_SUFFIX}`,
    );
    expect(problems.find((p) => p.key === 'futureSetting')).toMatchObject({ severity: 'warning' });
  });

  it('that only our stricter checks refuse (schema-valid) is salvaged the same way', async () => {
    const dir = await tempDir();
    const file = path.join(dir, SETTINGS_FILE_NAME);
    fs.writeFileSync(file, JSON.stringify({ reservedPorts: '9000-8000', bindHost: '::1' }));
    const store = openStore(dir);
    expect(store.get()).toEqual({ bindHost: '::1' });
    expect(store.problems().map((p) => p.key)).toEqual(['reservedPorts']);
    expect(fs.existsSync(file + BACKUP_SUFFIX)).toBe(true);
  });

  it('refuses a __proto__ key without polluting anything', async () => {
    const dir = await tempDir();
    fs.writeFileSync(path.join(dir, SETTINGS_FILE_NAME), '{"__proto__": {"polluted": true}, "startAtLogin": true}');
    const store = openStore(dir);
    expect(store.get()).toEqual({ startAtLogin: true });
    expect(store.problems()).toEqual([expect.objectContaining({ key: '__proto__', severity: 'error' })]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('that is not an object falls back to defaults and is kept', async () => {
    const dir = await tempDir();
    const file = path.join(dir, SETTINGS_FILE_NAME);
    fs.writeFileSync(file, '["targetUrl"]');
    const store = openStore(dir);
    expect(store.get()).toEqual({});
    expect(store.problems()[0]!.message).toContain('must hold a JSON object (got an array)');
    expect(fs.readFileSync(file + BACKUP_SUFFIX, 'utf8')).toBe('["targetUrl"]');
  });

  it('that is empty is simply treated as no settings', async () => {
    const dir = await tempDir();
    fs.writeFileSync(path.join(dir, SETTINGS_FILE_NAME), '');
    const store = openStore(dir);
    expect(store.get()).toEqual({});
    expect(store.problems()).toEqual([]);
  });

  it('with a byte-order mark keeps every value and says it rewrote the file', async () => {
    const dir = await tempDir();
    fs.writeFileSync(path.join(dir, SETTINGS_FILE_NAME), '\uFEFF{"startAtLogin": true}');
    const store = openStore(dir);
    expect(store.get()).toEqual({ startAtLogin: true });
    expect(store.problems()).toEqual([expect.objectContaining({ severity: 'warning', key: '(file)' })]);
  });

  it('never gets a second backup for the same moment: names are made unique', async () => {
    const dir = await tempDir();
    const file = path.join(dir, SETTINGS_FILE_NAME);
    fs.writeFileSync(file, 'not json 1');
    openStore(dir);
    fs.writeFileSync(file, 'not json 2');
    openStore(dir);
    expect(fs.readFileSync(file + BACKUP_SUFFIX, 'utf8')).toBe('not json 1');
    expect(fs.readFileSync(`${file}${BACKUP_SUFFIX}-2`, 'utf8')).toBe('not json 2');
  });

  it('drops a key’s problem once the key is set again', async () => {
    const dir = await tempDir();
    fs.writeFileSync(path.join(dir, SETTINGS_FILE_NAME), JSON.stringify({ targetUrl: 1, dashboardPort: 'x' }));
    const store = openStore(dir);
    expect(store.problems().map((p) => p.key).sort()).toEqual(['dashboardPort', 'targetUrl']);
    store.update({ targetUrl: 'http://localhost:4001' });
    expect(store.problems().map((p) => p.key)).toEqual(['dashboardPort']);
  });
});

describe('file access', () => {
  it('narrows an existing file to 0600', async () => {
    const dir = await tempDir();
    const file = path.join(dir, SETTINGS_FILE_NAME);
    fs.writeFileSync(file, '{"apiKey": "sk-0123456789abcdef"}', { mode: 0o644 });
    fs.chmodSync(file, 0o644);
    openStore(dir);
    expect(modeOf(file)).toBe(0o600);
  });

  it('reports a settings path that cannot be read as SETTINGS_IO', async () => {
    const dir = await tempDir();
    fs.mkdirSync(path.join(dir, SETTINGS_FILE_NAME));
    const error = thrown(() => openSettings({ dir }));
    expect(error.code).toBe('SETTINGS_IO');
    expect(error.message).toContain(`cannot read settings file ${path.join(dir, SETTINGS_FILE_NAME)} (EISDIR)`);
  });

  it('reports a folder that cannot be created as SETTINGS_IO', async () => {
    const parent = await tempDir();
    fs.writeFileSync(path.join(parent, 'not-a-folder'), '');
    const error = thrown(() => openSettings({ dir: path.join(parent, 'not-a-folder', 'litellm') }));
    expect(error.code).toBe('SETTINGS_IO');
  });
});

describe('following changes made by another process', () => {
  it('reports a valid external edit', async () => {
    const dir = await tempDir();
    const app = openStore(dir, { watch: true });
    const cli = openStore(dir);
    const change = nextChange(app);
    cli.update({ targetUrl: 'http://10.0.0.2:4000' });
    expect(await change).toEqual({ stored: { targetUrl: 'http://10.0.0.2:4000' }, problems: [], origin: 'external' });
    expect(app.get()).toEqual({ targetUrl: 'http://10.0.0.2:4000' });
  });

  it('salvages an invalid hand edit and keeps the last valid keys', async () => {
    const dir = await tempDir();
    const app = openStore(dir, { watch: true });
    app.update({ startAtLogin: true });
    const change = nextChange(app);
    // An editor replacing the file with a mistake in one key.
    const file = path.join(dir, SETTINGS_FILE_NAME);
    fs.writeFileSync(`${file}.edit`, JSON.stringify({ startAtLogin: true, bodyLimitMb: 'lots' }));
    fs.renameSync(`${file}.edit`, file);
    const seen = await change;
    expect(seen.stored).toEqual({ startAtLogin: true });
    expect(seen.problems).toEqual([expect.objectContaining({ key: 'bodyLimitMb', severity: 'error' })]);
    expect(fs.readFileSync(file + BACKUP_SUFFIX, 'utf8')).toContain('"lots"');
  });

  it('does not report its own writes as external changes', async () => {
    const dir = await tempDir();
    const app = openStore(dir, { watch: true });
    const origins: string[] = [];
    app.onChange((change) => origins.push(change.origin));
    app.update({ startAtLogin: true });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(origins).toEqual(['update']);
  });

  it('sees a deleted file as all defaults', async () => {
    const dir = await tempDir();
    const app = openStore(dir, { watch: true });
    app.update({ startAtLogin: true });
    const change = nextChange(app);
    fs.rmSync(app.file);
    expect((await change).stored).toEqual({});
  });

  it('re-reads on demand without a watcher', async () => {
    const dir = await tempDir();
    const app = openStore(dir);
    openStore(dir).update({ dashboardPort: 7777 });
    expect(app.get()).toEqual({});
    expect(app.reload()).toEqual({ dashboardPort: 7777 });
  });
});
