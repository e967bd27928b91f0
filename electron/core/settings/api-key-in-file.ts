// How the API key sits in the settings file, between the file and the settings store:
// - `apiKey`: the key as text (headless `serve`, the CLI, a keychain-less desktop, older versions);
// - `apiKeyEncrypted`: base64 of the key encrypted with the OS keychain (the tray app).
// Our writers never leave both; if a hand edit or another version does, the text key is the newer
// choice and wins. A sealed key this process cannot decrypt is kept in the file untouched, so the
// process that can still finds it, until the user sets a new key.
import type { EffectiveValue, SettingsProblem } from '../../../shared/settings-view';
import type { KeyVault } from './key-vault';

export const SEALED_KEY_FIELD = 'apiKeyEncrypted';

type RawStore = Record<string, unknown>;

/** Where the key in force comes from, for a line such as serve's. */
export type ApiKeyStorage =
  | { where: 'none' }
  | { where: 'file' }
  | { where: 'keychain' }
  /** The file holds a sealed key this process cannot decrypt. */
  | { where: 'unreadable'; reason: string };

export interface KeyFromFile {
  /** The file's settings without the sealed field; `apiKey` holds the key when there is one to use. */
  settings: RawStore;
  /** The sealed field as the file had it, written back as it was unless the key changes. */
  sealed: unknown;
  /** The key in `settings` came from decrypting `sealed` (so `sealed` can be written back as is). */
  fromSealed: boolean;
  problem?: SettingsProblem;
  storage: ApiKeyStorage;
  /** The file holds the key as text and this process keeps keys in the keychain: move it there. */
  needsSealing: boolean;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const MAX_SEALED_LENGTH = 64 * 1024;

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function unreadable(message: string, reason: string, sealed: unknown, settings: RawStore): KeyFromFile {
  return {
    settings,
    sealed,
    fromSealed: false,
    problem: { severity: 'error', key: 'apiKey', message },
    storage: { where: 'unreadable', reason },
    needsSealing: false,
  };
}

/** Splits the file's content into settings (key decrypted when possible) and the sealed field. */
export function readKeyFromFile(raw: RawStore, vault: KeyVault, file: string): KeyFromFile {
  const { [SEALED_KEY_FIELD]: sealed, ...settings } = raw;
  const hasText = typeof settings.apiKey === 'string';
  if (hasText || sealed === undefined) {
    const needsSealing = hasText && vault.mode === 'keychain';
    const result: KeyFromFile = { settings, sealed, fromSealed: false, storage: { where: hasText ? 'file' : 'none' }, needsSealing };
    if (hasText && vault.fallbackReason !== undefined) {
      result.problem = {
        severity: 'warning',
        key: 'apiKey',
        message: `${vault.fallbackReason}, so the API key is kept as text in ${file}, readable only by you (mode 0600) but not encrypted`,
      };
    }
    return result;
  }
  if (typeof sealed !== 'string' || sealed.length > MAX_SEALED_LENGTH || !BASE64.test(sealed)) {
    return unreadable(`the encrypted API key in ${file} (${SEALED_KEY_FIELD}) is damaged; set the API key again`, 'it is damaged', sealed, settings);
  }
  if (vault.mode === 'file') {
    const why = vault.fallbackReason ?? 'this process cannot use the OS keychain';
    return unreadable(
      `the API key in ${file} is encrypted with the OS keychain by the tray app and ${why}: set LITELLM_API_KEY, let clients send their own key, or set the key again here (it is then kept as text, mode 0600)`,
      why,
      sealed,
      settings,
    );
  }
  try {
    return { settings: { ...settings, apiKey: vault.open(sealed) }, sealed, fromSealed: true, storage: { where: 'keychain' }, needsSealing: false };
  } catch (error) {
    const why = errorText(error);
    return unreadable(
      `the API key in ${file} cannot be decrypted with this user's OS keychain (${why}); set the API key again`,
      why,
      sealed,
      settings,
    );
  }
}

/**
 * What to write for `next` (settings as the store holds them, the key as text). In keychain mode the
 * key is written only sealed; a sealed key nobody changed is written back exactly as it was.
 */
export function keyForFile(next: RawStore, vault: KeyVault, before: Pick<KeyFromFile, 'sealed' | 'fromSealed'>, keyChanged: boolean): RawStore {
  const { [SEALED_KEY_FIELD]: _ignored, ...out } = next;
  const key = out.apiKey;
  if (typeof key === 'string' && vault.mode === 'keychain') {
    delete out.apiKey;
    out[SEALED_KEY_FIELD] = !keyChanged && before.fromSealed ? before.sealed : vault.seal(key);
    return out;
  }
  // A key this process cannot read stays for the one that can, until the user sets or clears the key.
  if (key === undefined && !keyChanged && before.sealed !== undefined) out[SEALED_KEY_FIELD] = before.sealed;
  return out;
}

/** One line for a front end's start-up output: which key is used and where it is kept, never the key. */
export function describeApiKey(storage: ApiKeyStorage, inForce: EffectiveValue<string | null>, file: string): string | undefined {
  if (inForce.source === 'env') return `api key: from ${inForce.envVar ?? 'the environment'}`;
  switch (storage.where) {
    case 'none':
      return undefined;
    case 'file':
      return `api key: kept as text in ${file} (mode 0600, readable only by you; only the tray app encrypts it with the OS keychain)`;
    case 'keychain':
      return 'api key: encrypted with the OS keychain';
    case 'unreadable':
      return `api key: none usable (${storage.reason})`;
  }
}
