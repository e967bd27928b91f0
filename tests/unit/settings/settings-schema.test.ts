// The conf schema is a safety net under the hand-written checks: it must accept everything they
// accept (or a valid file would be refused by conf), and it should still catch plain type errors.
import Conf from 'conf';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SETTINGS_SCHEMA } from '../../../electron/core/settings/settings-schema';
import { SETTING_KEYS } from '../../../shared/settings-fields';
import { tempDir } from '../../helpers/temp';
import { VALID_SAMPLES } from './setting-samples';

/** Opens `content` with conf and our schema; returns conf's error message, or null when accepted. */
function confVerdict(dir: string, content: Record<string, unknown>): string | null {
  fs.writeFileSync(path.join(dir, 'check.json'), JSON.stringify(content));
  try {
    new Conf({ cwd: dir, configName: 'check', projectSuffix: '', schema: SETTINGS_SCHEMA, accessPropertiesByDotNotation: false });
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

describe('the conf schema', () => {
  it('covers every settings key', () => {
    expect(Object.keys(SETTINGS_SCHEMA).sort()).toEqual([...SETTING_KEYS].sort());
  });

  it('accepts every value the checks accept', async () => {
    const dir = await tempDir();
    const all: Record<string, unknown> = {};
    for (const key of SETTING_KEYS) {
      for (const value of VALID_SAMPLES[key]) {
        expect(confVerdict(dir, { [key]: value }), `${key}=${JSON.stringify(value).slice(0, 80)}`).toBeNull();
      }
      all[key] = VALID_SAMPLES[key][0];
    }
    expect(confVerdict(dir, all)).toBeNull();
  });

  it.each([
    ['targetUrl', 42],
    ['targetUrl', 'ftp://x'],
    ['apiKey', 'has space'],
    ['headerProfile', { litellm: 'yes' }],
    ['portRange', { start: 0, end: 10 }],
    ['portRange', { start: 1 }],
    ['dashboardPort', -1],
    ['pinnedProjects', '/not/a/list'],
    ['bodyLimitMb', 0],
  ])('refuses %s=%j on its own', async (key, value) => {
    expect(confVerdict(await tempDir(), { [key]: value })).toMatch(/^Config schema violation: `/);
  });
});
