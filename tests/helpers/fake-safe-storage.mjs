// A stand-in for Electron's safeStorage, for tests that run without the Electron runtime: real
// authenticated encryption (AES-256-GCM) under a key derived from `secret`, so a different secret
// plays another user's or machine's keychain, and the same error texts as Electron when it refuses.
// Used by the settings tests (through electron/main/keychain-vault.ts) and the fake electron module.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const PREFIX = Buffer.from('v10');

/**
 * @param {{ available?: boolean, backend?: string, secret?: string, failEncrypt?: boolean }} [options]
 */
export function fakeSafeStorage(options = {}) {
  const { available = true, backend = 'gnome_libsecret', secret = 'fake-keychain', failEncrypt = false } = options;
  const key = createHash('sha256').update(secret).digest();
  const calls = { encrypt: 0, decrypt: 0 };
  return {
    calls,
    isEncryptionAvailable: () => available,
    getSelectedStorageBackend: () => backend,
    /** @param {string} plainText */
    encryptString(plainText) {
      calls.encrypt += 1;
      if (!available || failEncrypt) throw new Error('Error while encrypting the text provided to safeStorage.encryptString. Encryption is not available.');
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plainText, 'utf8'), cipher.final()]);
      return Buffer.concat([PREFIX, iv, cipher.getAuthTag(), body]);
    },
    /** @param {Buffer} encrypted */
    decryptString(encrypted) {
      calls.decrypt += 1;
      try {
        if (!available || !encrypted.subarray(0, 3).equals(PREFIX)) throw new Error('bad prefix');
        const decipher = createDecipheriv('aes-256-gcm', key, encrypted.subarray(3, 15));
        decipher.setAuthTag(encrypted.subarray(15, 31));
        return Buffer.concat([decipher.update(encrypted.subarray(31)), decipher.final()]).toString('utf8');
      } catch {
        throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      }
    },
  };
}
