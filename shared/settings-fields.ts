// The user settings: their names, types, defaults, the environment variables that override them,
// and one hand-written check per key. These checks are the single authority: the settings store
// uses them to salvage a broken file and to refuse bad updates, the API validates updateSettings
// with them, and the window can run them for inline messages. The JSON schema given to `conf`
// (electron/core/settings/settings-schema.ts) is a looser safety net and never stricter than these.
import { describeType, isForbiddenKey, isPlainObject, quote } from './plain-json';
import { isPort, parsePortList, type PortRange } from './port-list';
import { isAbsolutePath, isHostName, isHttpOrigin, isHttpUrl } from './text-checks';

/**
 * What identifies the user in the headers (and so in LiteLLM's logs, and at the model provider when
 * LiteLLM forwards client headers): the project slug only; plus the folder's name (and a hash of its
 * path); plus this machine's name.
 */
export type IdentityDisclosure = 'project' | 'folder' | 'machine';
export const IDENTITY_DISCLOSURES: readonly IdentityDisclosure[] = ['project', 'folder', 'machine'];

export interface HeaderProfile {
  /** LiteLLM-native headers (x-litellm-tags, x-litellm-end-user-id...). */
  litellm: boolean;
  /** The headers the original Python interceptor sent, for LiteLLM setups that match on them. */
  seedCompat: boolean;
  /** Send the project as the end-user id (LiteLLM then budgets and reports per project). */
  endUserId: boolean;
  /** What identifies the user beyond the project slug (see IdentityDisclosure). */
  identifies: IdentityDisclosure;
}

export interface SettingsValues {
  targetUrl: string;
  /**
   * null: no key configured (the client's own Authorization header passes through). Kept as plain
   * text in the settings file, which is private to the user (0600); LITELLM_API_KEY overrides it
   * and keeps the key out of the file altogether. The main process only ever shows it redacted.
   */
  apiKey: string | null;
  headerProfile: HeaderProfile;
  bindHost: string;
  portRange: PortRange;
  /** Same syntax as INTERCEPTOR_RESERVED_PORTS: "8900,8950-8960"; empty for none. */
  reservedPorts: string;
  jetbrainsDetection: boolean;
  extraIdeConfigDirs: string[];
  pinnedProjects: string[];
  startAtLogin: boolean;
  /** 0: pick a free port at each start. */
  dashboardPort: number;
  /**
   * The shared port for clients with one URL per IDE (AI Assistant, Copilot, ProxyAI, Cline); the
   * project of each request is decided per request. Must lie outside the project port range.
   */
  idePort: number;
  /** Extra web origins allowed to call the dashboard API (for example a renderer dev server). */
  allowedOrigins: string[];
  /** Largest request body the proxies accept, in MiB. */
  bodyLimitMb: number;
  /** Record each request's tokens and cost in the local usage database (interceptor-usage.sqlite). */
  usageLedger: boolean;
  /** Days of usage kept in that database. */
  usageRetentionDays: number;
}

export type SettingKey = keyof SettingsValues;

export const SETTING_KEYS: readonly SettingKey[] = [
  'targetUrl',
  'apiKey',
  'headerProfile',
  'bindHost',
  'portRange',
  'reservedPorts',
  'jetbrainsDetection',
  'extraIdeConfigDirs',
  'pinnedProjects',
  'startAtLogin',
  'dashboardPort',
  'idePort',
  'allowedOrigins',
  'bodyLimitMb',
  'usageLedger',
  'usageRetentionDays',
];

export function isSettingKey(key: string): key is SettingKey {
  return (SETTING_KEYS as readonly string[]).includes(key);
}

export const DEFAULT_SETTINGS: Readonly<SettingsValues> = Object.freeze({
  targetUrl: 'http://localhost:4000',
  apiKey: null,
  headerProfile: Object.freeze({ litellm: true, seedCompat: true, endUserId: false, identifies: 'machine' as const }),
  bindHost: '127.0.0.1',
  portRange: Object.freeze({ start: 8888, end: 9999 }),
  reservedPorts: '',
  jetbrainsDetection: true,
  extraIdeConfigDirs: [],
  pinnedProjects: [],
  startAtLogin: false,
  dashboardPort: 0,
  idePort: 8887,
  allowedOrigins: [],
  bodyLimitMb: 32,
  usageLedger: true,
  usageRetentionDays: 180,
} satisfies SettingsValues);

/** Environment variables that override a setting, in the order their values are applied. */
export const SETTING_ENV_VARS = {
  targetUrl: ['TARGET_LLM_URL'],
  apiKey: ['LITELLM_API_KEY'],
  bindHost: ['INTERCEPTOR_HOST'],
  portRange: ['INTERCEPTOR_PORT_MIN', 'INTERCEPTOR_PORT_MAX'],
  reservedPorts: ['INTERCEPTOR_RESERVED_PORTS'],
  dashboardPort: ['INTERCEPTOR_DASHBOARD_PORT'],
  idePort: ['INTERCEPTOR_IDE_PORT'],
} as const satisfies Partial<Record<SettingKey, readonly string[]>>;

/** What the settings file may hold for each key: headerProfile switches may be given one by one. */
export type StoredSettings = { [K in SettingKey]?: K extends 'headerProfile' ? Partial<HeaderProfile> : K extends 'apiKey' ? string : SettingsValues[K] };

/** An update names only the keys it changes; null puts a key back to its default. */
export type SettingsUpdate = { [K in SettingKey]?: StoredSettings[K] | null };

export const LIMITS = {
  apiKeyLength: 4096,
  extraIdeConfigDirs: 100,
  pinnedProjects: 1000,
  allowedOrigins: 20,
  bodyLimitMb: { min: 1, max: 1024 },
  usageRetentionDays: { min: 1, max: 3650 },
} as const;

type Check = (value: unknown) => string | null;

const HEADER_SWITCHES: readonly (keyof HeaderProfile)[] = ['litellm', 'seedCompat', 'endUserId'];
const HEADER_FIELDS: readonly (keyof HeaderProfile)[] = [...HEADER_SWITCHES, 'identifies'];

function checkBoolean(value: unknown): string | null {
  return typeof value === 'boolean' ? null : `must be true or false (got ${describeType(value)})`;
}

function checkPathList(max: number): Check {
  return (value) => {
    if (!Array.isArray(value)) return `must be a list of absolute folder paths (got ${describeType(value)})`;
    if (value.length > max) return `holds ${value.length} entries; at most ${max} are allowed`;
    const seen = new Set<string>();
    for (const [index, item] of value.entries()) {
      if (typeof item !== 'string') return `entry ${index} must be a path (got ${describeType(item)})`;
      if (!isAbsolutePath(item)) return `entry ${index} ${quote(item)} is not an absolute path (or is longer than 4096 characters)`;
      if (seen.has(item)) return `entry ${index} ${quote(item)} is listed twice`;
      seen.add(item);
    }
    return null;
  };
}

function checkInteger(min: number, max: number, what: string): Check {
  return (value) =>
    typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max
      ? null
      : `must be ${what} (got ${typeof value === 'number' ? String(value) : describeType(value)})`;
}

const CHECKS: { [K in SettingKey]: Check } = {
  targetUrl(value) {
    if (typeof value !== 'string') return `must be a URL (got ${describeType(value)})`;
    return isHttpUrl(value)
      ? null
      : `must be an http:// or https:// URL without credentials, query or fragment, such as "http://localhost:4000" (got ${quote(value)})`;
  },
  apiKey(value) {
    // Never echo the value: it is a secret even when malformed.
    if (typeof value !== 'string') return `must be text (got ${describeType(value)})`;
    if (value.length === 0 || value.length > LIMITS.apiKeyLength) return `must be 1–${LIMITS.apiKeyLength} characters long`;
    return /^[\x21-\x7e]+$/.test(value) ? null : 'may hold only printable ASCII characters without spaces (it is sent in an HTTP header)';
  },
  headerProfile(value) {
    if (!isPlainObject(value)) return `must be an object with litellm, seedCompat and endUserId switches and identifies (got ${describeType(value)})`;
    for (const key of Object.keys(value)) {
      if (!(HEADER_FIELDS as readonly string[]).includes(key)) {
        return `has unknown switch ${quote(key)} (known: ${HEADER_FIELDS.join(', ')})`;
      }
      if (key === 'identifies') {
        const choice = value[key];
        if (typeof choice !== 'string' || !(IDENTITY_DISCLOSURES as readonly string[]).includes(choice)) {
          return `identifies must be one of ${IDENTITY_DISCLOSURES.map((d) => `"${d}"`).join(', ')} (got ${typeof choice === 'string' ? quote(choice) : describeType(choice)})`;
        }
      } else if (typeof value[key] !== 'boolean') return `${key} must be true or false (got ${describeType(value[key])})`;
    }
    return null;
  },
  bindHost(value) {
    if (typeof value !== 'string') return `must be a host name or IP address (got ${describeType(value)})`;
    return isHostName(value) ? null : `must be a host name or IP address such as "127.0.0.1" (got ${quote(value)})`;
  },
  portRange(value) {
    if (!isPlainObject(value)) return `must be an object {start, end} (got ${describeType(value)})`;
    for (const key of Object.keys(value)) {
      if (key !== 'start' && key !== 'end') return `has unknown field ${quote(key)} (expected start and end)`;
    }
    const { start, end } = value;
    if (!isPort(start)) return `start must be a port 1–65535 (got ${typeof start === 'number' ? String(start) : describeType(start)})`;
    if (!isPort(end)) return `end must be a port 1–65535 (got ${typeof end === 'number' ? String(end) : describeType(end)})`;
    return start <= end ? null : `start (${start}) must not be above end (${end})`;
  },
  reservedPorts(value) {
    if (typeof value !== 'string') return `must be text like "8900,8950-8960" (got ${describeType(value)})`;
    const parsed = parsePortList(value);
    return parsed.ok ? null : parsed.message;
  },
  jetbrainsDetection: checkBoolean,
  extraIdeConfigDirs: checkPathList(LIMITS.extraIdeConfigDirs),
  pinnedProjects: checkPathList(LIMITS.pinnedProjects),
  startAtLogin: checkBoolean,
  dashboardPort: checkInteger(0, 65535, 'a port 1–65535, or 0 to pick a free port'),
  idePort: checkInteger(1, 65535, 'a port 1–65535 outside the project port range'),
  allowedOrigins(value) {
    if (!Array.isArray(value)) return `must be a list of origins (got ${describeType(value)})`;
    if (value.length > LIMITS.allowedOrigins) return `holds ${value.length} entries; at most ${LIMITS.allowedOrigins} are allowed`;
    for (const [index, item] of value.entries()) {
      if (typeof item !== 'string') return `entry ${index} must be text (got ${describeType(item)})`;
      if (!isHttpOrigin(item)) return `entry ${index} ${quote(item)} is not an origin like "http://localhost:5173" (no path, no trailing slash)`;
    }
    return null;
  },
  bodyLimitMb: checkInteger(LIMITS.bodyLimitMb.min, LIMITS.bodyLimitMb.max, `a whole number of MiB from ${LIMITS.bodyLimitMb.min} to ${LIMITS.bodyLimitMb.max}`),
  usageLedger: checkBoolean,
  usageRetentionDays: checkInteger(
    LIMITS.usageRetentionDays.min,
    LIMITS.usageRetentionDays.max,
    `a whole number of days from ${LIMITS.usageRetentionDays.min} to ${LIMITS.usageRetentionDays.max}`,
  ),
};

/** Checks one setting's value; null when valid, else what is wrong (without the key's name). */
export function checkSetting(key: SettingKey, value: unknown): string | null {
  return CHECKS[key](value);
}

export interface InvalidSetting {
  key: string;
  message: string;
}

export interface StoredSettingsCheck {
  /** Every known key whose value is valid. */
  values: StoredSettings;
  /** Known keys with invalid values, and keys that must never be copied (__proto__...). */
  invalid: InvalidSetting[];
  /** Keys this version does not know (a newer version's, or a typo): kept in the file, ignored. */
  unknownKeys: string[];
}

/** Sorts what a settings file holds into valid values, invalid keys and unknown keys. */
export function checkStoredSettings(raw: unknown): StoredSettingsCheck {
  const result: StoredSettingsCheck = { values: {}, invalid: [], unknownKeys: [] };
  if (!isPlainObject(raw)) {
    result.invalid.push({ key: '(file)', message: `must hold a JSON object (got ${describeType(raw)})` });
    return result;
  }
  const values: Record<string, unknown> = result.values;
  for (const [key, value] of Object.entries(raw)) {
    if (isForbiddenKey(key)) {
      result.invalid.push({ key, message: 'is not allowed as a key' });
    } else if (isSettingKey(key)) {
      const problem = checkSetting(key, value);
      if (problem === null) values[key] = value;
      else result.invalid.push({ key, message: problem });
    } else if (key !== '__internal__') {
      // conf keeps its own bookkeeping under __internal__; anything else is unknown to us.
      result.unknownKeys.push(key);
    }
  }
  return result;
}

export type SettingsUpdateCheck = { ok: true; value: SettingsUpdate } | { ok: false; message: string };

/** Validates an update: a plain object of known keys, each valid or null (back to the default). */
export function checkSettingsUpdate(raw: unknown): SettingsUpdateCheck {
  if (!isPlainObject(raw)) return { ok: false, message: `settings must be an object (got ${describeType(raw)})` };
  const keys = Object.keys(raw);
  if (keys.length === 0) return { ok: false, message: 'settings update names no setting' };
  for (const key of keys) {
    if (isForbiddenKey(key)) return { ok: false, message: `settings: key ${quote(key)} is not allowed` };
    if (!isSettingKey(key)) return { ok: false, message: `settings: unknown setting ${quote(key)} (known: ${SETTING_KEYS.join(', ')})` };
    const value = raw[key];
    if (value === null) continue;
    const problem = checkSetting(key, value);
    if (problem !== null) return { ok: false, message: `${key}: ${problem}` };
  }
  return { ok: true, value: raw as SettingsUpdate };
}

function copyValue<T>(value: T): T {
  return Array.isArray(value) ? ([...value] as T) : isPlainObject(value) ? ({ ...value } as T) : value;
}

/** The stored settings after an update: null removes a key, headerProfile switches merge one by one. */
export function applySettingsUpdate(stored: StoredSettings, update: SettingsUpdate): StoredSettings {
  const next: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(stored)) next[key] = copyValue(value);
  for (const key of SETTING_KEYS) {
    if (!Object.hasOwn(update, key)) continue;
    const value = update[key];
    if (value === null || value === undefined) {
      delete next[key];
    } else if (key === 'headerProfile') {
      next[key] = { ...stored.headerProfile, ...(value as Partial<HeaderProfile>) };
    } else {
      next[key] = copyValue(value);
    }
  }
  return next as StoredSettings;
}

/** Fills what the file leaves out with defaults (each headerProfile switch on its own). */
export function withDefaults(stored: StoredSettings): SettingsValues {
  return {
    ...DEFAULT_SETTINGS,
    ...stored,
    apiKey: stored.apiKey ?? null,
    headerProfile: { ...DEFAULT_SETTINGS.headerProfile, ...stored.headerProfile },
    portRange: { ...(stored.portRange ?? DEFAULT_SETTINGS.portRange) },
    extraIdeConfigDirs: [...(stored.extraIdeConfigDirs ?? [])],
    pinnedProjects: [...(stored.pinnedProjects ?? [])],
    allowedOrigins: [...(stored.allowedOrigins ?? [])],
  };
}
