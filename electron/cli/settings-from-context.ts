// The settings in force for one command line: the environment over the settings file beside the
// registry over the defaults — what a proxy started now would use.
import path from 'node:path';
import { effectiveSettings, type EffectiveSettingsResult } from '../core/settings/effective-settings';
import { openSettings } from '../core/settings/settings-store';
import type { CliContext } from './command';

export function settingsFromContext(ctx: Pick<CliContext, 'env'>, registryFile: string): EffectiveSettingsResult {
  const store = openSettings({ dir: path.dirname(registryFile) });
  try {
    return effectiveSettings(store.get(), ctx.env);
  } finally {
    store.close();
  }
}
