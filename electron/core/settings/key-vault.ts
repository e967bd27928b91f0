// Where the LiteLLM API key is kept. The tray app hands the settings store a vault backed by the OS
// keychain (Electron's safeStorage: Keychain on macOS, DPAPI on Windows, libsecret/kwallet on Linux),
// and the settings file then holds only the encrypted key. Core never imports Electron, so the vault
// is this small interface; everything else (`interceptor serve`, `run`, the CLI) uses the plain-file
// vault: the key stays as text in the settings file, which is created mode 0600.

export interface KeyVault {
  /** 'keychain': the key is encrypted with the OS keychain; 'file': kept as text in the 0600 settings file. */
  readonly mode: 'keychain' | 'file';
  /** Why a process that would use the keychain keeps the key in the file (no keyring, say); undefined otherwise. */
  readonly fallbackReason?: string;
  /** Encrypts a key for the settings file (base64). Only called in 'keychain' mode; throws when the keychain refuses. */
  seal(key: string): string;
  /** Decrypts what seal() wrote; throws when it cannot (another user or machine, a reset keychain, 'file' mode). */
  open(sealed: string): string;
}

/** The vault of every process without Electron's keychain access. */
export function fileKeyVault(fallbackReason?: string): KeyVault {
  return {
    mode: 'file',
    ...(fallbackReason === undefined ? {} : { fallbackReason }),
    seal() {
      throw new Error('this process keeps the API key in the settings file');
    },
    open() {
      throw new Error('it was encrypted by the tray app with the OS keychain, which this process cannot use');
    },
  };
}
