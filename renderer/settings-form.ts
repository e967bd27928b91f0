// The settings form's model, free of any UI: the text the user is editing, which of it changed, the
// update to send (only the changed keys) and a message per field. The checks are shared/'s own, the
// same ones the main process applies, so the page refuses exactly what the server would.
import { checkSetting, SETTING_KEYS, type IdentityDisclosure, type SettingKey, type SettingsUpdate } from '../shared/settings-fields';
import type { SettingsView } from '../shared/settings-view';

export interface Drafts {
  targetUrl: string;
  bindHost: string;
  portStart: string;
  portEnd: string;
  reservedPorts: string;
  dashboardPort: string;
  idePort: string;
  bodyLimitMb: string;
  usageRetentionDays: string;
  usageLedger: boolean;
  litellm: boolean;
  seedCompat: boolean;
  endUserId: boolean;
  identifies: IdentityDisclosure;
  jetbrainsDetection: boolean;
  startAtLogin: boolean;
}

export type DraftKey = keyof Drafts;

/** The settings the form shows a message next to; anything else is reported for the whole form. */
export const FIELD_KEYS = [
  'targetUrl',
  'apiKey',
  'headerProfile',
  'jetbrainsDetection',
  'startAtLogin',
  'bindHost',
  'portRange',
  'reservedPorts',
  'dashboardPort',
  'idePort',
  'bodyLimitMb',
  'usageLedger',
  'usageRetentionDays',
] as const satisfies readonly SettingKey[];

export type FieldKey = (typeof FIELD_KEYS)[number];
export type FieldErrors = Partial<Record<FieldKey | 'form', string>>;

/** Which setting each draft belongs to (a message for the setting is shown at its fields). */
export const DRAFT_FIELD: Record<DraftKey, FieldKey> = {
  targetUrl: 'targetUrl',
  bindHost: 'bindHost',
  portStart: 'portRange',
  portEnd: 'portRange',
  reservedPorts: 'reservedPorts',
  dashboardPort: 'dashboardPort',
  idePort: 'idePort',
  bodyLimitMb: 'bodyLimitMb',
  usageRetentionDays: 'usageRetentionDays',
  usageLedger: 'usageLedger',
  litellm: 'headerProfile',
  seedCompat: 'headerProfile',
  endUserId: 'headerProfile',
  identifies: 'headerProfile',
  jetbrainsDetection: 'jetbrainsDetection',
  startAtLogin: 'startAtLogin',
};

export function draftsFrom(view: SettingsView): Drafts {
  const { values } = view;
  return {
    targetUrl: values.targetUrl.value,
    bindHost: values.bindHost.value,
    portStart: String(values.portRange.value.start),
    portEnd: String(values.portRange.value.end),
    reservedPorts: values.reservedPorts.value,
    dashboardPort: String(values.dashboardPort.value),
    idePort: String(values.idePort.value),
    bodyLimitMb: String(values.bodyLimitMb.value),
    usageRetentionDays: String(values.usageRetentionDays.value),
    usageLedger: values.usageLedger.value,
    litellm: values.headerProfile.value.litellm,
    seedCompat: values.headerProfile.value.seedCompat,
    endUserId: values.headerProfile.value.endUserId,
    identifies: values.headerProfile.value.identifies,
    jetbrainsDetection: values.jetbrainsDetection.value,
    startAtLogin: values.startAtLogin.value,
  };
}

const DRAFT_KEYS = Object.keys(DRAFT_FIELD) as DraftKey[];

/** Keeps what the user is editing; fields they did not touch follow the new server values. */
export function rebaseDrafts(current: Drafts, oldBase: Drafts, newBase: Drafts): Drafts {
  const next = { ...newBase };
  for (const key of DRAFT_KEYS) {
    if (current[key] !== oldBase[key]) (next as Record<DraftKey, string | boolean>)[key] = current[key];
  }
  return next;
}

/** Text fields are compared and sent trimmed: a pasted URL often brings a trailing space. */
function normalized(drafts: Drafts, key: DraftKey): string | boolean {
  const value = drafts[key];
  return typeof value === 'string' ? value.trim() : value;
}

export function changedDrafts(drafts: Drafts, base: Drafts): DraftKey[] {
  return DRAFT_KEYS.filter((key) => normalized(drafts, key) !== normalized(base, key));
}

function sentence(message: string): string {
  return message.length === 0 ? message : message[0]!.toUpperCase() + message.slice(1);
}

/** "8890" → 8890; anything else → null (the check then names what was typed). */
function wholeNumber(text: string): number | null {
  const trimmed = text.trim();
  return /^\d{1,9}$/.test(trimmed) ? Number(trimmed) : null;
}

function notANumber(text: string, what: string): string {
  return `${what} must be a whole number (got ${JSON.stringify(text.trim().slice(0, 40))})`;
}

export interface BuiltUpdate {
  /** Only the settings that changed; empty when nothing did. */
  update: SettingsUpdate;
  errors: FieldErrors;
}

/** The update the form would send, or a message per field that the shared checks refuse. */
export function buildUpdate(drafts: Drafts, base: Drafts): BuiltUpdate {
  const changed = new Set(changedDrafts(drafts, base));
  const update: Record<string, unknown> = {};
  const errors: FieldErrors = {};
  const accept = (key: FieldKey, value: unknown) => {
    const problem = checkSetting(key, value);
    if (problem === null) update[key] = value;
    else errors[key] = sentence(problem);
  };

  for (const key of ['targetUrl', 'bindHost', 'reservedPorts'] as const) {
    if (changed.has(key)) accept(key, drafts[key].trim());
  }
  for (const key of ['dashboardPort', 'idePort', 'bodyLimitMb', 'usageRetentionDays'] as const) {
    if (!changed.has(key)) continue;
    const number = wholeNumber(drafts[key]);
    if (number === null) errors[key] = notANumber(drafts[key], 'It');
    else accept(key, number);
  }
  if (changed.has('portStart') || changed.has('portEnd')) {
    const start = wholeNumber(drafts.portStart);
    const end = wholeNumber(drafts.portEnd);
    if (start === null) errors.portRange = notANumber(drafts.portStart, 'The first port');
    else if (end === null) errors.portRange = notANumber(drafts.portEnd, 'The last port');
    else accept('portRange', { start, end });
  }
  const switches: Record<string, boolean | string> = {};
  for (const key of ['litellm', 'seedCompat', 'endUserId'] as const) {
    if (changed.has(key)) switches[key] = drafts[key];
  }
  if (changed.has('identifies')) switches.identifies = drafts.identifies;
  if (Object.keys(switches).length > 0) accept('headerProfile', switches);
  for (const key of ['jetbrainsDetection', 'startAtLogin', 'usageLedger'] as const) {
    if (changed.has(key)) accept(key, drafts[key]);
  }
  return { update: update as SettingsUpdate, errors };
}

const KEY_PATTERN = new RegExp(`\\b(${SETTING_KEYS.join('|')})\\b`);

/**
 * Places a server message next to the setting it names ("updateSettings: targetUrl: must be …"),
 * without the method and key prefix, which the field's label already says.
 */
export function placeServerMessage(message: string): FieldErrors {
  const match = KEY_PATTERN.exec(message);
  const key = match?.[1] as SettingKey | undefined;
  if (key === undefined || !(FIELD_KEYS as readonly string[]).includes(key)) return { form: sentence(message) };
  const afterKey = message.slice((match?.index ?? 0) + key.length).replace(/^\s*:\s*/, '');
  return { [key as FieldKey]: sentence(afterKey.length > 0 ? afterKey : message) };
}
