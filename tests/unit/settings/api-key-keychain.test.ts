// The API key in the settings file: the tray app keeps it encrypted with the OS keychain (Electron's
// safeStorage, stood in for at the Electron boundary only: electron/main/keychain-vault.ts runs as it
// does in the app, over a real settings file read and written by conf), moves a key kept as text
// there on first start, and never writes it as text again; headless processes keep the 0600 file as
// it was; and what happens without a keychain is defined and told.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { InterceptorError } from '../../../electron/core/errors';
import { fileKeyVault } from '../../../electron/core/settings/key-vault';
import { openSettings, SETTINGS_FILE_NAME, type OpenSettingsOptions, type SettingsChange, type SettingsStore } from '../../../electron/core/settings/settings-store';
import { keychainVault } from '../../../electron/main/keychain-vault';
import { fakeSafeStorage, type FakeSafeStorage } from '../../helpers/fake-safe-storage.mjs';
import { tempDir } from '../../helpers/temp';

const KEY = 'sk-live-4f1c0ffee0123456789abcdef';
const stores: SettingsStore[] = [];

afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});

function open(dir: string, options: Partial<OpenSettingsOptions> = {}): SettingsStore {
  const store = openSettings({ dir, debounceMs: 30, ...options });
  stores.push(store);
  return store;
}

function appStore(dir: string, safeStorage: FakeSafeStorage = fakeSafeStorage(), platform: NodeJS.Platform = 'darwin', watch = false): SettingsStore {
  return open(dir, { keyVault: keychainVault(safeStorage, platform), watch });
}

async function folderWith(content: Record<string, unknown> | undefined): Promise<{ dir: string; file: string }> {
  const dir = await tempDir('key-');
  const file = path.join(dir, SETTINGS_FILE_NAME);
  if (content) fs.writeFileSync(file, `${JSON.stringify(content, null, '\t')}\n`, { mode: 0o600 });
  return { dir, file };
}

const text = (file: string): string => fs.readFileSync(file, 'utf8');
const json = (file: string): Record<string, unknown> => JSON.parse(text(file)) as Record<string, unknown>;

function nextChange(store: SettingsStore, ms = 5000): Promise<SettingsChange> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no settings change within ${ms} ms`)), ms);
    const off = store.onChange((change) => {
      clearTimeout(timer);
      off();
      resolve(change);
    });
  });
}

describe('the tray app with an OS keychain', () => {
  it('moves a key kept as text into the keychain on first start: the file then holds only the encrypted form', async () => {
    const { dir, file } = await folderWith({ targetUrl: 'http://litellm.internal:4000', apiKey: KEY, futureSetting: { keep: true } });
    const safeStorage = fakeSafeStorage();
    const store = appStore(dir, safeStorage);

    expect(store.get()).toEqual({ targetUrl: 'http://litellm.internal:4000', apiKey: KEY });
    expect(store.apiKeyStorage()).toEqual({ where: 'keychain' });
    expect(store.problems()).toEqual([{ severity: 'warning', key: 'futureSetting', message: expect.stringContaining('not known') }]);
    expect(text(file)).not.toContain(KEY);
    const onDisk = json(file);
    expect(onDisk).toEqual({ targetUrl: 'http://litellm.internal:4000', futureSetting: { keep: true }, apiKeyEncrypted: expect.stringMatching(/^[A-Za-z0-9+/]+=*$/) });
    expect(safeStorage.decryptString(Buffer.from(onDisk.apiKeyEncrypted as string, 'base64'))).toBe(KEY);
    if (process.platform !== 'win32') expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(safeStorage.calls.encrypt).toBe(1);
  });

  it('reads the encrypted key back on the next start without writing anything', async () => {
    const { dir, file } = await folderWith({ apiKey: KEY });
    appStore(dir).close();
    const sealed = text(file);
    const again = appStore(dir);
    expect(again.get().apiKey).toBe(KEY);
    expect(text(file)).toBe(sealed);
  });

  it('writes a key set in the window only encrypted, clears it on null, and leaves it as it was when other settings change', async () => {
    const { dir, file } = await folderWith(undefined);
    const safeStorage = fakeSafeStorage();
    const store = appStore(dir, safeStorage);
    store.update({ apiKey: KEY });
    expect(text(file)).not.toContain(KEY);
    const sealed = json(file).apiKeyEncrypted;
    expect(typeof sealed).toBe('string');

    store.update({ jetbrainsDetection: false });
    expect(json(file)).toEqual({ jetbrainsDetection: false, apiKeyEncrypted: sealed });
    expect(safeStorage.calls.encrypt).toBe(1);
    expect(store.get().apiKey).toBe(KEY);

    store.update({ apiKey: null });
    expect(json(file)).toEqual({ jetbrainsDetection: false });
    expect(store.get().apiKey).toBeUndefined();
    expect(store.apiKeyStorage()).toEqual({ where: 'none' });
  });

  it('refuses to change the key when the keychain refuses to encrypt, and writes nothing', async () => {
    const { dir, file } = await folderWith({ targetUrl: 'http://a:1' });
    const store = appStore(dir, fakeSafeStorage({ failEncrypt: true }));
    const before = text(file);
    let error: unknown;
    try {
      store.update({ apiKey: KEY });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InterceptorError);
    expect(error).toMatchObject({ code: 'SETTINGS_IO', message: expect.stringContaining('cannot encrypt the API key with the OS keychain') });
    expect((error as Error).message).not.toContain(KEY);
    expect(text(file)).toBe(before);
  });

  it('keeps a key it could not move into the keychain as it was, and says why', async () => {
    const { dir, file } = await folderWith({ apiKey: KEY });
    const before = text(file);
    const store = appStore(dir, fakeSafeStorage({ failEncrypt: true }));
    expect(store.get().apiKey).toBe(KEY);
    expect(text(file)).toBe(before);
    expect(store.problems()).toEqual([{ severity: 'warning', key: 'apiKey', message: expect.stringMatching(/cannot move the API key into the OS keychain.*stays as text/) }]);
  });

  it("a key encrypted by another user's keychain is reported, kept in the file, and replaced when the user sets a new one", async () => {
    const { dir, file } = await folderWith({ apiKey: KEY });
    appStore(dir, fakeSafeStorage({ secret: 'other machine' })).close();
    const sealed = json(file).apiKeyEncrypted;

    const store = appStore(dir, fakeSafeStorage({ secret: 'this machine' }));
    expect(store.get().apiKey).toBeUndefined();
    expect(store.apiKeyStorage()).toMatchObject({ where: 'unreadable' });
    expect(store.problems()).toEqual([{ severity: 'error', key: 'apiKey', message: expect.stringMatching(/cannot be decrypted.*set the API key again/) }]);
    store.update({ bodyLimitMb: 8 });
    expect(json(file).apiKeyEncrypted).toBe(sealed);

    store.update({ apiKey: 'sk-new-key-000000000000' });
    expect(store.problems()).toEqual([]);
    expect(json(file).apiKeyEncrypted).not.toBe(sealed);
    expect(store.get().apiKey).toBe('sk-new-key-000000000000');
  });

  it('reports a damaged encrypted key instead of failing', async () => {
    const { dir } = await folderWith({ apiKeyEncrypted: 'not base64 at all!', targetUrl: 'http://a:1' });
    const store = appStore(dir);
    expect(store.get()).toEqual({ targetUrl: 'http://a:1' });
    expect(store.problems()).toEqual([{ severity: 'error', key: 'apiKey', message: expect.stringContaining('is damaged') }]);
  });

  it('encrypts a key another process wrote as text (the headless dashboard, an editor) as soon as it sees it', async () => {
    const { dir, file } = await folderWith({ targetUrl: 'http://a:1' });
    const app = appStore(dir, fakeSafeStorage(), 'darwin', true);
    const changed = nextChange(app);
    open(dir).update({ apiKey: KEY });
    const change = await changed;
    expect(change.stored.apiKey).toBe(KEY);
    expect(text(file)).not.toContain(KEY);
    expect(app.get().apiKey).toBe(KEY);
  });
});

describe('headless processes (serve, run, the CLI)', () => {
  it('keep a key kept as text as text, through updates of other settings', async () => {
    const { dir, file } = await folderWith({ apiKey: KEY, targetUrl: 'http://a:1' });
    const store = open(dir);
    expect(store.get()).toEqual({ apiKey: KEY, targetUrl: 'http://a:1' });
    expect(store.apiKeyStorage()).toEqual({ where: 'file' });
    expect(store.problems()).toEqual([]);
    store.update({ targetUrl: 'http://b:2' });
    expect(json(file)).toEqual({ apiKey: KEY, targetUrl: 'http://b:2' });
  });

  it('cannot read a key the tray app encrypted: they say what to do, keep it for the app, and a key set here replaces it as text', async () => {
    const { dir, file } = await folderWith({ apiKey: KEY });
    appStore(dir).close();
    const sealed = json(file).apiKeyEncrypted;

    const headless = open(dir);
    expect(headless.get().apiKey).toBeUndefined();
    expect(headless.apiKeyStorage()).toMatchObject({ where: 'unreadable' });
    expect(headless.problems()).toEqual([{ severity: 'error', key: 'apiKey', message: expect.stringContaining('set LITELLM_API_KEY') }]);
    headless.update({ pinnedProjects: ['/work/app'] });
    expect(json(file)).toEqual({ pinnedProjects: ['/work/app'], apiKeyEncrypted: sealed });

    headless.update({ apiKey: 'sk-typed-in-serve-0000' });
    expect(json(file)).toEqual({ pinnedProjects: ['/work/app'], apiKey: 'sk-typed-in-serve-0000' });
    // The next start of the app encrypts that one.
    expect(appStore(dir).get().apiKey).toBe('sk-typed-in-serve-0000');
    expect(text(file)).not.toContain('sk-typed-in-serve-0000');
  });
});

describe('the tray app without a usable keychain', () => {
  it.each([
    ['encryption not available', fakeSafeStorage({ available: false }), 'darwin', /OS keychain is not available/],
    ['Linux without a keyring ("basic_text")', fakeSafeStorage({ backend: 'basic_text' }), 'linux', /no keyring.*basic_text/],
    ['Linux asked before the keyring is known ("unknown")', fakeSafeStorage({ backend: 'unknown' }), 'linux', /no keyring.*unknown/],
  ] as const)('%s: keeps the key as text in the 0600 file, like headless mode, and says so', async (_what, safeStorage, platform, reason) => {
    const { dir, file } = await folderWith({ apiKey: KEY });
    const before = text(file);
    const store = appStore(dir, safeStorage, platform);
    expect(store.get().apiKey).toBe(KEY);
    expect(store.apiKeyStorage()).toEqual({ where: 'file' });
    expect(text(file)).toBe(before);
    const [problem] = store.problems();
    expect(problem).toMatchObject({ severity: 'warning', key: 'apiKey' });
    expect(problem?.message).toMatch(reason);
    expect(problem?.message).toMatch(/kept as text.*mode 0600/);
    expect(problem?.message).not.toContain(KEY);
    expect(safeStorage.calls.encrypt).toBe(0);
  });

  it('a key encrypted earlier cannot be read then: reported, kept for when the keyring is back', async () => {
    const { dir, file } = await folderWith({ apiKey: KEY });
    appStore(dir, fakeSafeStorage(), 'linux').close();
    const sealed = text(file);
    const store = appStore(dir, fakeSafeStorage({ backend: 'basic_text' }), 'linux');
    expect(store.get().apiKey).toBeUndefined();
    expect(store.problems()[0]?.message).toMatch(/encrypted with the OS keychain.*no keyring/);
    expect(text(file)).toBe(sealed);
  });

  it('the plain-file vault never encrypts', () => {
    expect(() => fileKeyVault().seal(KEY)).toThrow(/settings file/);
  });
});
