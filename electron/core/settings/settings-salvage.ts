// When the settings file cannot be used as it is (not JSON, or some values invalid), nothing may be
// lost: the file is kept aside byte for byte, every valid key is written back, the invalid ones
// fall back to their defaults, and each is reported by name.
import fs from 'node:fs';
import { checkStoredSettings } from '../../../shared/settings-fields';
import type { SettingsProblem } from '../../../shared/settings-view';
import { createPrivateFileExclusive, writePrivateFileAtomic } from './private-file';

export interface SalvageResult {
  /** What was written back: valid known keys, plus unknown keys left for whoever wrote them. */
  kept: Record<string, unknown>;
  backupPath: string;
  problems: SettingsProblem[];
}

/** `2025-01-31T12-00-00-000Z`: sortable, and legal in file names on every platform. */
export function fileTimestamp(date: Date): string {
  return date.toISOString().replace(/[:.]/g, '-');
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; reason: string } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
}

/**
 * Sets `file` aside as `<file>.invalid-<timestamp>` and rewrites it with what can be kept.
 * `raw` is the file's content as read (so the backup is exactly what was there).
 */
export function salvageSettingsFile(file: string, raw: Buffer, now: Date): SalvageResult {
  const backupPath = createPrivateFileExclusive(`${file}.invalid-${fileTimestamp(now)}`, raw);
  const keptAt = `the file as it was is kept at ${backupPath}`;
  // A byte-order mark is what some Windows editors add; it is not a reason to discard the file.
  const parsed = parseJson(raw.toString('utf8').replace(/^\uFEFF/, ''));
  if (!parsed.ok) {
    writePrivateFileAtomic(file, '{}\n');
    return {
      kept: {},
      backupPath,
      problems: [
        {
          severity: 'error',
          key: '(file)',
          message: `settings file ${file} is not valid JSON (${parsed.reason}); every setting is back to its default and ${keptAt}`,
          backupPath,
        },
      ],
    };
  }

  const check = checkStoredSettings(parsed.value);
  const kept: Record<string, unknown> = { ...check.values };
  if (typeof parsed.value === 'object' && parsed.value !== null && !Array.isArray(parsed.value)) {
    const source = parsed.value as Record<string, unknown>;
    for (const key of [...check.unknownKeys, '__internal__']) {
      if (Object.hasOwn(source, key)) kept[key] = source[key];
    }
  }
  writePrivateFileAtomic(file, `${JSON.stringify(kept, null, '\t')}\n`);
  const problems: SettingsProblem[] = check.invalid.map(({ key, message }) => ({
    severity: 'error',
    key,
    message:
      key === '(file)'
        ? `settings file ${file} ${message}; every setting is back to its default and ${keptAt}`
        : `settings key ${key}: ${message}; the default is used instead and ${keptAt}`,
    backupPath,
  }));
  if (problems.length === 0) {
    // Readable once tidied (a byte-order mark): nothing was dropped, but the file was rewritten.
    problems.push({ severity: 'warning', key: '(file)', message: `settings file ${file} was rewritten in plain JSON; ${keptAt}`, backupPath });
  }
  return { kept, backupPath, problems };
}

/** Reads the file's bytes; null when it does not exist. */
export function readRaw(file: string): Buffer | null {
  try {
    return fs.readFileSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
