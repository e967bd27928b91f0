// The settings in force: environment over settings file over defaults, each value with where it
// came from, so the window can say which one wins and why. The raw API key stays in these values
// for the proxy; settingsView() is the only form that leaves the main process, and it is redacted.
import { InterceptorError } from '../errors';
import { SETTING_KEYS, withDefaults, type SettingsValues, type StoredSettings } from '../../../shared/settings-fields';
import type {
  EffectiveSettings,
  EffectiveValue,
  SettingProvenance,
  SettingsProblem,
  SettingsView,
} from '../../../shared/settings-view';
import { redactSecret } from '../../../shared/format';
import { readSettingsEnv, type EnvOverride, type EnvSource } from './settings-env';

export interface EffectiveSettingsResult {
  values: EffectiveSettings;
  /** Environment values that were refused (each names its variable). */
  problems: SettingsProblem[];
}

function fromStore<K extends keyof SettingsValues>(stored: StoredSettings, key: K, merged: SettingsValues): EffectiveValue<SettingsValues[K]> {
  return { value: merged[key], source: Object.hasOwn(stored, key) ? 'settings' : 'default' };
}

function pick<K extends keyof SettingsValues>(
  stored: StoredSettings,
  key: K,
  merged: SettingsValues,
  override: EnvOverride<SettingsValues[K]> | undefined,
): EffectiveValue<SettingsValues[K]> {
  return override ? { value: override.value, source: 'env', envVar: override.envVar } : fromStore(stored, key, merged);
}

function partProvenance(stored: StoredSettings, override: EnvOverride<number> | undefined): SettingProvenance {
  if (override) return { source: 'env', envVar: override.envVar };
  return { source: stored.portRange ? 'settings' : 'default' };
}

/** Combines stored settings and the environment into the values in force. */
export function effectiveSettings(stored: StoredSettings, env: EnvSource): EffectiveSettingsResult {
  const merged = withDefaults(stored);
  const { overrides, problems } = readSettingsEnv(env);

  // Each end of the range may come from its own variable; together they must still be ascending.
  let startOverride = overrides.portStart;
  let endOverride = overrides.portEnd;
  const start = startOverride?.value ?? merged.portRange.start;
  const end = endOverride?.value ?? merged.portRange.end;
  if (start > end) {
    const name = (o: EnvOverride<number> | undefined, fallback: string) => (o ? `${o.envVar}=${o.value}` : fallback);
    problems.push({
      severity: 'error',
      key: 'portRange',
      envVar: [startOverride?.envVar, endOverride?.envVar].filter(Boolean).join(', '),
      message: `the port range is empty: ${name(startOverride, `start ${merged.portRange.start}`)} is above ${name(endOverride, `end ${merged.portRange.end}`)}; the variables are ignored`,
    });
    startOverride = undefined;
    endOverride = undefined;
  }
  const startSource = partProvenance(stored, startOverride);
  const endSource = partProvenance(stored, endOverride);
  const rangeSource = [startSource, endSource].find((p) => p.source === 'env') ?? startSource;

  const values: EffectiveSettings = {
    targetUrl: pick(stored, 'targetUrl', merged, overrides.targetUrl),
    apiKey: pick(stored, 'apiKey', merged, overrides.apiKey),
    headerProfile: fromStore(stored, 'headerProfile', merged),
    bindHost: pick(stored, 'bindHost', merged, overrides.bindHost),
    portRange: {
      value: { start: startOverride?.value ?? merged.portRange.start, end: endOverride?.value ?? merged.portRange.end },
      ...rangeSource,
      parts: { start: startSource, end: endSource },
    },
    reservedPorts: pick(stored, 'reservedPorts', merged, overrides.reservedPorts),
    jetbrainsDetection: fromStore(stored, 'jetbrainsDetection', merged),
    extraIdeConfigDirs: fromStore(stored, 'extraIdeConfigDirs', merged),
    pinnedProjects: fromStore(stored, 'pinnedProjects', merged),
    startAtLogin: fromStore(stored, 'startAtLogin', merged),
    dashboardPort: pick(stored, 'dashboardPort', merged, overrides.dashboardPort),
    idePort: pick(stored, 'idePort', merged, overrides.idePort),
    allowedOrigins: fromStore(stored, 'allowedOrigins', merged),
    bodyLimitMb: fromStore(stored, 'bodyLimitMb', merged),
    usageLedger: fromStore(stored, 'usageLedger', merged),
    usageRetentionDays: fromStore(stored, 'usageRetentionDays', merged),
  };
  return { values, problems };
}

/** Just the values, for the proxies and the supervisor (the API key raw). */
export function plainSettings(values: EffectiveSettings): SettingsValues {
  const plain: Record<string, unknown> = {};
  for (const key of SETTING_KEYS) plain[key] = values[key].value;
  return plain as unknown as SettingsValues;
}

/** The defaults, as effective values; for a process that runs without a settings file. */
export function defaultEffectiveSettings(): EffectiveSettings {
  return effectiveSettings({}, {}).values;
}

/**
 * For commands that start servers (`serve`, `run`): refuses to go on with a bad variable rather
 * than run with a value the user did not mean. One line naming every offending variable.
 */
export function assertSettingsEnvValid(result: EffectiveSettingsResult): void {
  const envProblems = result.problems.filter((problem) => problem.envVar !== undefined);
  if (envProblems.length > 0) {
    throw new InterceptorError('INVALID_ENV', envProblems.map((problem) => problem.message.replace(/; the variables? (is|are) ignored$/, '')).join('; '));
  }
}

/** What the window may see: every value with its provenance, the API key redacted. */
export function settingsView(file: string, result: EffectiveSettingsResult, loadProblems: readonly SettingsProblem[] = []): SettingsView {
  const { apiKey, ...rest } = result.values;
  const key = apiKey.value;
  return {
    file,
    values: {
      ...structuredClone(rest),
      apiKey: { ...apiKey, value: key === null ? null : redactSecret(key), isSet: key !== null },
    },
    problems: [...loadProblems, ...result.problems],
  };
}
