// The settings file, through `conf`: one factory for the app and the CLI. The file lives beside the
// registry (interceptor-settings.json), is private to the user (0600: it may hold the API key), and
// holds only what the user chose; defaults are applied when reading, never written. The API key is
// kept as the process's key vault says (api-key-in-file.ts): encrypted with the OS keychain by the
// tray app, which moves a key it finds as text there on first start; as text elsewhere.
// A file that cannot be used is never thrown at the user: it is set aside, its valid keys kept, and
// the problems reported by key (settings-salvage.ts). Another process (the CLI) may edit the file at
// any time; with `watch` the store follows such edits and tells its listeners.
import Conf from 'conf';
import fs from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { InterceptorError, systemErrorCode } from '../errors';
import {
  applySettingsUpdate,
  checkSettingsUpdate,
  checkStoredSettings,
  SETTING_KEYS,
  type StoredSettings,
} from '../../../shared/settings-fields';
import type { SettingsProblem } from '../../../shared/settings-view';
import { keyForFile, readKeyFromFile, type ApiKeyStorage, type KeyFromFile } from './api-key-in-file';
import { fileKeyVault, type KeyVault } from './key-vault';
import { PRIVATE_FILE_MODE, restrictToOwner, writePrivateFileAtomic } from './private-file';
import { readRaw, salvageSettingsFile } from './settings-salvage';
import { SETTINGS_SCHEMA } from './settings-schema';

export const SETTINGS_FILE_NAME = 'interceptor-settings.json';
const CONFIG_NAME = 'interceptor-settings';

export interface OpenSettingsOptions {
  /** The folder of the registry file (by default ~/.config/litellm). */
  dir: string;
  /** Follow edits made by other processes (the app wants this; a one-shot CLI verb does not). */
  watch?: boolean;
  /** Quiet time after the last file event before re-reading; editors write in several steps. */
  debounceMs?: number;
  /** Clock for backup names (tests). */
  now?: () => Date;
  /** Where the API key is kept; by default as text in this (0600) file. The tray app passes the OS keychain's. */
  keyVault?: KeyVault;
}

export interface SettingsChange {
  stored: StoredSettings;
  problems: SettingsProblem[];
  /** 'update': this store wrote it; 'external': the file changed under us (another process, an editor). */
  origin: 'update' | 'external';
}

export interface SettingsStore {
  readonly file: string;
  /** The valid values the file holds (keys the user set); defaults are not filled in. */
  get(): StoredSettings;
  /** What was wrong with the file: keys set aside (errors) and keys this version does not know (warnings). */
  problems(): SettingsProblem[];
  /**
   * Applies an update (null puts a key back to its default). Throws INVALID_ARGUMENT naming the key,
   * having written nothing, when any part is invalid; SETTINGS_IO when the file cannot be written.
   */
  update(update: unknown): StoredSettings;
  /** Re-reads the file now (salvaging it if needed); listeners hear of any difference. */
  reload(): StoredSettings;
  /** Where the stored API key is kept (never the key itself). */
  apiKeyStorage(): ApiKeyStorage;
  onChange(listener: (change: SettingsChange) => void): () => void;
  close(): void;
}

type RawStore = Record<string, unknown>;

function isContentError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return error.name === 'SyntaxError' || error.message.startsWith('Config schema violation');
}

function ioError(file: string, action: string, error: unknown): InterceptorError {
  const code = systemErrorCode(error);
  const reason = code ?? (error instanceof Error ? error.message : String(error));
  return new InterceptorError('SETTINGS_IO', `cannot ${action} settings file ${file} (${reason}); check the folder's permissions`, {
    cause: error,
  });
}

function unknownKeyWarning(key: string): SettingsProblem {
  const near = SETTING_KEYS.find((known) => known.toLowerCase() === key.toLowerCase());
  const hint = near ? `did you mean ${near}?` : `known keys: ${SETTING_KEYS.join(', ')}`;
  return { severity: 'warning', key, message: `settings key ${JSON.stringify(key)} is not known to this version and is ignored (${hint})` };
}

class ConfSettingsStore implements SettingsStore {
  readonly file: string;
  #conf: Conf<RawStore> | undefined;
  #raw: RawStore = {};
  #stored: StoredSettings = {};
  #unknownKeys: string[] = [];
  /** Problems from salvaging; each is dropped once its key holds a valid value again. */
  #salvageProblems: SettingsProblem[] = [];
  /** A read error met while following the file; cleared by the next good read. */
  #readProblem: SettingsProblem | undefined;
  /** Set when the file cannot be followed at all. */
  #watchProblem: SettingsProblem | undefined;
  readonly #listeners = new Set<(change: SettingsChange) => void>();
  readonly #now: () => Date;
  readonly #dir: string;
  readonly #vault: KeyVault;
  /** The API key as the file holds it: sealed or not, and what is wrong with it. */
  #key: KeyFromFile | undefined;
  /** Why a key kept as text could not be moved into the keychain (tried again on each read). */
  #sealingProblem: string | undefined;
  #watcher: fs.FSWatcher | undefined;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(options: OpenSettingsOptions) {
    this.#dir = path.resolve(options.dir);
    this.file = path.join(this.#dir, SETTINGS_FILE_NAME);
    this.#now = options.now ?? (() => new Date());
    this.#vault = options.keyVault ?? fileKeyVault();
    this.#load();
    restrictToOwner(this.file);
    if (options.watch) this.#watch(options.debounceMs ?? 100);
  }

  get(): StoredSettings {
    return structuredClone(this.#stored);
  }

  problems(): SettingsProblem[] {
    const problems = [...this.#salvageProblems, ...this.#unknownKeys.map(unknownKeyWarning)];
    if (this.#watchProblem) problems.push(this.#watchProblem);
    if (this.#key?.problem) problems.push(this.#key.problem);
    return this.#readProblem ? [this.#readProblem, ...problems] : problems;
  }

  apiKeyStorage(): ApiKeyStorage {
    return this.#key?.storage ?? { where: 'none' };
  }

  update(update: unknown): StoredSettings {
    const checked = checkSettingsUpdate(update);
    if (!checked.ok) throw new InterceptorError('INVALID_ARGUMENT', checked.message);
    // Start from the file as it is now: another process may have changed it since we last read.
    this.#refresh();
    const next: RawStore = { ...this.#unknownRaw(), ...applySettingsUpdate(this.#stored, checked.value) };
    const keyChanged = Object.hasOwn(checked.value, 'apiKey');
    let written: RawStore;
    try {
      written = keyForFile(next, this.#vault, this.#key ?? { sealed: undefined, fromSealed: false }, keyChanged);
    } catch (error) {
      // Never fall back to writing the key as text behind the user's back.
      const reason = error instanceof Error ? error.message : String(error);
      throw new InterceptorError('SETTINGS_IO', `cannot encrypt the API key with the OS keychain (${reason}); nothing was changed`, { cause: error });
    }
    const conf = this.#openConf();
    try {
      conf.store = written;
    } catch (error) {
      if (isContentError(error)) throw new InterceptorError('INVALID_ARGUMENT', `settings: ${(error as Error).message}`, { cause: error });
      throw ioError(this.file, 'write', error);
    }
    const touched = Object.keys(checked.value);
    this.#salvageProblems = this.#salvageProblems.filter((problem) => problem.key !== '(file)' && !touched.includes(problem.key ?? ''));
    this.#acceptFile(written);
    this.#emit('update');
    return this.get();
  }

  reload(): StoredSettings {
    this.#refresh();
    return this.get();
  }

  onChange(listener: (change: SettingsChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  close(): void {
    this.#closed = true;
    this.#watcher?.close();
    this.#watcher = undefined;
    if (this.#timer) clearTimeout(this.#timer);
    this.#listeners.clear();
  }

  #openConf(): Conf<RawStore> {
    this.#conf ??= new Conf<RawStore>({
      cwd: this.#dir,
      configName: CONFIG_NAME,
      projectSuffix: '',
      schema: SETTINGS_SCHEMA,
      configFileMode: PRIVATE_FILE_MODE,
      // Keys are plain names: a dot in a key must never reach into an object.
      accessPropertiesByDotNotation: false,
      clearInvalidConfig: false,
      // Our own watcher: conf's uses fs.watchFile polling on Linux, seconds late.
      watch: false,
    });
    return this.#conf;
  }

  /** Reads the file through conf (which checks the schema); throws conf's errors as they are. */
  #readStore(): RawStore {
    return { ...this.#openConf().store };
  }

  /** Loads the file, salvaging it when conf or our own checks refuse it. */
  #load(): void {
    let raw: RawStore;
    try {
      raw = this.#readStore();
    } catch (error) {
      if (!isContentError(error)) throw ioError(this.file, 'read', error);
      raw = this.#salvage();
    }
    if (checkStoredSettings(raw).invalid.length > 0) {
      // The schema accepted it, the stricter checks did not (a range running backwards, say).
      raw = this.#salvage();
    }
    this.#acceptFile(this.#sealKeyIfNeeded(raw));
  }

  /** First start of the tray app over a key kept as text: encrypt it and keep only that. */
  #sealKeyIfNeeded(raw: RawStore): RawStore {
    const key = readKeyFromFile(raw, this.#vault, this.file);
    if (!key.needsSealing) return raw;
    let sealed: RawStore;
    try {
      sealed = keyForFile(raw, this.#vault, key, true);
    } catch (error) {
      this.#sealingProblem = `cannot move the API key into the OS keychain (${error instanceof Error ? error.message : String(error)}); it stays as text in ${this.file} (mode 0600)`;
      return raw;
    }
    try {
      this.#openConf().store = sealed;
    } catch (error) {
      throw ioError(this.file, 'write', error);
    }
    return sealed;
  }

  /** Takes what the file holds: the key split out (decrypted when it can be), then the settings. */
  #acceptFile(raw: RawStore): void {
    const key = readKeyFromFile(raw, this.#vault, this.file);
    if (this.#sealingProblem !== undefined && key.needsSealing) key.problem = { severity: 'warning', key: 'apiKey', message: this.#sealingProblem };
    else this.#sealingProblem = undefined;
    this.#key = key;
    this.#accept(key.settings);
  }

  #salvage(): RawStore {
    const bytes = readRaw(this.file);
    if (bytes === null) return {};
    if (bytes.toString('utf8').trim() === '') {
      // An empty file holds nothing to keep: a `touch`, or an editor caught between truncate and write.
      writePrivateFileAtomic(this.file, '{}\n');
    } else {
      const result = salvageSettingsFile(this.file, bytes, this.#now());
      const replaced = new Set(result.problems.map((problem) => problem.key));
      this.#salvageProblems = [...this.#salvageProblems.filter((problem) => !replaced.has(problem.key)), ...result.problems];
    }
    try {
      return this.#readStore();
    } catch (error) {
      if (!isContentError(error)) throw ioError(this.file, 'read', error);
      // Our checks passed what conf's schema refused: a bug, but the user still gets working defaults.
      writePrivateFileAtomic(this.file, '{}\n');
      return this.#readStore();
    }
  }

  #accept(raw: RawStore): void {
    const check = checkStoredSettings(raw);
    this.#raw = raw;
    this.#stored = check.values;
    this.#unknownKeys = check.unknownKeys;
    this.#readProblem = undefined;
    this.#salvageProblems = this.#salvageProblems.filter((problem) => problem.key === '(file)' || !Object.hasOwn(check.values, problem.key ?? ''));
  }

  /** Keys we keep but do not interpret (another version's); conf keeps its __internal__ itself. */
  #unknownRaw(): RawStore {
    const kept: RawStore = {};
    for (const key of this.#unknownKeys) kept[key] = this.#raw[key];
    return kept;
  }

  /** Re-reads and tells listeners when what they see changed. */
  #refresh(): void {
    const before = { stored: this.#stored, problems: this.problems() };
    try {
      this.#load();
    } catch (error) {
      const message = error instanceof InterceptorError ? error.message : String(error);
      this.#readProblem = { severity: 'error', key: '(file)', message: `${message}; the last settings read stay in use` };
    }
    if (!isDeepStrictEqual(before.stored, this.#stored) || !isDeepStrictEqual(before.problems, this.problems())) {
      this.#emit('external');
    }
  }

  #emit(origin: SettingsChange['origin']): void {
    const change: SettingsChange = { stored: this.get(), problems: this.problems(), origin };
    for (const listener of [...this.#listeners]) {
      try {
        listener(change);
      } catch (error) {
        // One faulty listener must not stop the others or the store.
        console.error('settings listener failed:', error);
      }
    }
  }

  #watch(debounceMs: number): void {
    let watcher: fs.FSWatcher;
    try {
      // The folder, not the file: conf and editors replace the file by renaming, which ends a file watch.
      watcher = fs.watch(this.#dir, { persistent: false }, (_event, filename) => this.#onFileEvent(filename, debounceMs));
    } catch (error) {
      // Out of inotify watches, say: everything still works, edits from elsewhere wait for a restart.
      const reason = systemErrorCode(error) ?? String(error);
      this.#watchProblem = {
        severity: 'warning',
        key: '(file)',
        message: `cannot follow changes to ${this.file} (${reason}); edits made outside this app apply after a restart`,
      };
      return;
    }
    watcher.on('error', () => {
      // The folder went away or became unreadable: stop following; the values in use stay valid.
      watcher.close();
      if (this.#watcher === watcher) this.#watcher = undefined;
    });
    this.#watcher = watcher;
  }

  #onFileEvent(filename: string | null, debounceMs: number): void {
    if (filename !== null && filename !== SETTINGS_FILE_NAME) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (!this.#closed) this.#refresh();
    }, debounceMs);
    this.#timer.unref();
  }
}

/** Opens (or starts) the settings file in `dir`. Throws SETTINGS_IO when the file cannot be read at all. */
export function openSettings(options: OpenSettingsOptions): SettingsStore {
  return new ConfSettingsStore(options);
}
