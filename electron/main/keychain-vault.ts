// The tray app's key vault: Electron's safeStorage, i.e. the macOS Keychain, Windows DPAPI, or on
// Linux the desktop's secret service (libsecret) or KWallet. Where it cannot protect the key, the key
// stays as text in the 0600 settings file as in headless mode, and the user is told why:
// - encryption is not available (no keyring, or asked before the app is ready);
// - Linux picked 'basic_text': Chromium then encrypts with a password built into every copy, which
//   only obscures the key while looking like protection, so it is treated as no keychain.
import { fileKeyVault, type KeyVault } from '../core/settings/key-vault';

/** What is used of Electron's safeStorage (a parameter, so the glue is tested with a stand-in). */
export interface SafeStorageApi {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only in Electron. */
  getSelectedStorageBackend?(): string;
}

const WEAK_LINUX_BACKENDS = new Set(['basic_text', 'unknown']);

export function keychainVault(safeStorage: SafeStorageApi, platform: NodeJS.Platform): KeyVault {
  if (!safeStorage.isEncryptionAvailable()) {
    return fileKeyVault(
      platform === 'linux'
        ? 'the OS keychain is not available (no secret service or KWallet answered)'
        : 'the OS keychain is not available',
    );
  }
  if (platform === 'linux') {
    const backend = safeStorage.getSelectedStorageBackend?.() ?? 'unknown';
    if (WEAK_LINUX_BACKENDS.has(backend)) {
      return fileKeyVault(`no keyring is available (Electron's "${backend}" storage would only obscure the key with a built-in password)`);
    }
  }
  return {
    mode: 'keychain',
    seal: (key) => safeStorage.encryptString(key).toString('base64'),
    open: (sealed) => safeStorage.decryptString(Buffer.from(sealed, 'base64')),
  };
}

/** One line for the log: where the key goes, never the key. */
export function describeKeyVault(vault: KeyVault): string {
  return vault.mode === 'keychain' ? 'API key storage: the OS keychain' : `API key storage: the settings file (${vault.fallbackReason ?? 'no keychain'})`;
}
