// What the window learns about settings: every value with where it came from, so it can show which
// one wins and why (an environment variable beats the settings file, which beats the default).
// The API key only ever appears here redacted; the raw key stays in the main process.
import type { PortRange } from './port-list';
import type { SettingKey, SettingsValues } from './settings-fields';

export type SettingSource = 'default' | 'settings' | 'env';

export interface SettingProvenance {
  source: SettingSource;
  /** The variable that supplied the value, when source is 'env'. */
  envVar?: string;
}

export interface EffectiveValue<T> extends SettingProvenance {
  value: T;
}

/** portRange can take its two ends from different places (INTERCEPTOR_PORT_MIN alone, say). */
export interface EffectivePortRange extends EffectiveValue<PortRange> {
  parts: { start: SettingProvenance; end: SettingProvenance };
}

export type EffectiveSettings = { [K in Exclude<SettingKey, 'portRange'>]: EffectiveValue<SettingsValues[K]> } & {
  portRange: EffectivePortRange;
};

export interface SettingsProblem {
  /** 'error': a value was refused and another one is in use; 'warning': nothing was refused. */
  severity: 'error' | 'warning';
  key?: string;
  envVar?: string;
  /** One line naming the key or variable, what is wrong and what is used instead. */
  message: string;
  /** Where the unreadable settings file was kept, when it was set aside. */
  backupPath?: string;
}

export interface RedactedApiKey extends EffectiveValue<string | null> {
  /** True when a key is configured; value then holds a redacted form such as "sk-…abcd". */
  isSet: boolean;
}

export interface SettingsView {
  /** The settings file (interceptor-settings.json). */
  file: string;
  values: Omit<EffectiveSettings, 'apiKey'> & { apiKey: RedactedApiKey };
  problems: SettingsProblem[];
}
