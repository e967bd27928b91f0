export interface FakeSafeStorage {
  calls: { encrypt: number; decrypt: number };
  isEncryptionAvailable(): boolean;
  getSelectedStorageBackend(): string;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
}
export function fakeSafeStorage(options?: { available?: boolean; backend?: string; secret?: string; failEncrypt?: boolean }): FakeSafeStorage;
