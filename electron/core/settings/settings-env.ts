// Environment variables that override settings. Each is parsed the way the registry parses its
// own (an empty value counts as unset; ports are whole numbers 1–65535), and a value we cannot use
// becomes a problem naming the variable, never a silent fallback.
import { checkSetting, SETTING_ENV_VARS } from '../../../shared/settings-fields';
import type { SettingsProblem } from '../../../shared/settings-view';
import { parsePortText } from '../../../shared/port-list';
import { quote } from '../../../shared/plain-json';

export type EnvSource = Readonly<Record<string, string | undefined>>;

export interface EnvOverride<T> {
  value: T;
  envVar: string;
}

export interface SettingsEnvOverrides {
  targetUrl?: EnvOverride<string>;
  apiKey?: EnvOverride<string>;
  bindHost?: EnvOverride<string>;
  portStart?: EnvOverride<number>;
  portEnd?: EnvOverride<number>;
  reservedPorts?: EnvOverride<string>;
  dashboardPort?: EnvOverride<number>;
  idePort?: EnvOverride<number>;
}

export interface SettingsEnvReading {
  overrides: SettingsEnvOverrides;
  problems: SettingsProblem[];
}

const PORT_EXPECTATION = 'expected a whole number from 1 to 65535';

function envValue(env: EnvSource, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value;
}

function envProblem(key: string, envVar: string, message: string): SettingsProblem {
  return { severity: 'error', key, envVar, message: `${message}; the variable is ignored` };
}

/** Reads every settings override from the environment; bad values are reported, not used. */
export function readSettingsEnv(env: EnvSource): SettingsEnvReading {
  const overrides: SettingsEnvOverrides = {};
  const problems: SettingsProblem[] = [];

  const [targetVar] = SETTING_ENV_VARS.targetUrl;
  const target = envValue(env, targetVar);
  if (target !== undefined) {
    const value = target.trim();
    const problem = checkSetting('targetUrl', value);
    if (problem === null) overrides.targetUrl = { value, envVar: targetVar };
    else problems.push(envProblem('targetUrl', targetVar, `${targetVar}: ${problem}`));
  }

  const [keyVar] = SETTING_ENV_VARS.apiKey;
  const apiKey = envValue(env, keyVar);
  if (apiKey !== undefined) {
    // Surrounding blanks come from copy and paste; the key itself never has any.
    const value = apiKey.trim();
    const problem = checkSetting('apiKey', value);
    if (problem === null) overrides.apiKey = { value, envVar: keyVar };
    else problems.push(envProblem('apiKey', keyVar, `${keyVar} (value not shown) ${problem}`));
  }

  const [hostVar] = SETTING_ENV_VARS.bindHost;
  const host = envValue(env, hostVar);
  if (host !== undefined) {
    const value = host.trim();
    const problem = checkSetting('bindHost', value);
    if (problem === null) overrides.bindHost = { value, envVar: hostVar };
    else problems.push(envProblem('bindHost', hostVar, `${hostVar}: ${problem}`));
  }

  const [minVar, maxVar] = SETTING_ENV_VARS.portRange;
  for (const [envVar, slot] of [
    [minVar, 'portStart'],
    [maxVar, 'portEnd'],
  ] as const) {
    const raw = envValue(env, envVar);
    if (raw === undefined) continue;
    const port = parsePortText(raw);
    if (port === null) problems.push(envProblem('portRange', envVar, `${envVar}=${quote(raw)} is not a port number (${PORT_EXPECTATION})`));
    else overrides[slot] = { value: port, envVar };
  }

  const [reservedVar] = SETTING_ENV_VARS.reservedPorts;
  const reserved = envValue(env, reservedVar);
  if (reserved !== undefined) {
    const problem = checkSetting('reservedPorts', reserved);
    if (problem === null) overrides.reservedPorts = { value: reserved.trim(), envVar: reservedVar };
    else problems.push(envProblem('reservedPorts', reservedVar, `${reservedVar}=${quote(reserved)} ${problem} (expected e.g. 8900,8950-8960)`));
  }

  const [dashboardVar] = SETTING_ENV_VARS.dashboardPort;
  const dashboard = envValue(env, dashboardVar);
  if (dashboard !== undefined) {
    const port = parsePortText(dashboard, { allowZero: true });
    if (port === null) {
      problems.push(envProblem('dashboardPort', dashboardVar, `${dashboardVar}=${quote(dashboard)} is not a port number (expected 0 for any free port, or 1 to 65535)`));
    } else {
      overrides.dashboardPort = { value: port, envVar: dashboardVar };
    }
  }

  const [ideVar] = SETTING_ENV_VARS.idePort;
  const ide = envValue(env, ideVar);
  if (ide !== undefined) {
    const port = parsePortText(ide);
    if (port === null) problems.push(envProblem('idePort', ideVar, `${ideVar}=${quote(ide)} is not a port number (${PORT_EXPECTATION})`));
    else overrides.idePort = { value: port, envVar: ideVar };
  }

  return { overrides, problems };
}
