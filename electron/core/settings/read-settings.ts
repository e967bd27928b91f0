// The settings file read without opening the store: for one-shot verbs that only look at a few
// values (`interceptor usage`). Loading `conf` (and its schema validator) costs a quarter of a second
// of start-up; this costs a file read. Read-only: a damaged file gives the defaults here, and the
// app's store, which owns the file, salvages it when it next opens it.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { checkStoredSettings, type StoredSettings } from '../../../shared/settings-fields';
import { SETTINGS_FILE_NAME } from '../registry/paths';

export function readStoredSettings(dir: string): StoredSettings {
  let text: string;
  try {
    text = readFileSync(path.join(dir, SETTINGS_FILE_NAME), 'utf8');
  } catch {
    return {};
  }
  try {
    return checkStoredSettings(JSON.parse(text.replace(/^\uFEFF/, '')) as unknown).values;
  } catch {
    return {};
  }
}
