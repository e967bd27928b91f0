// The JSON schema handed to `conf`: a safety net so that conf itself refuses to load or write a
// malformed value. The real checks (and their messages) are shared/settings-fields.ts; this schema
// must accept everything those checks accept (tests hold it to that), and may be looser.
// No `default` keywords on purpose: conf would write defaults into the file, and then a value the
// user never chose would look like their setting.
import type { Schema } from 'conf';
import { IDENTITY_DISCLOSURES, LIMITS, type StoredSettings } from '../../../shared/settings-fields';
import { MAX_PORT_LIST_LENGTH } from '../../../shared/port-list';
import { MAX_HOSTNAME_LENGTH, MAX_PATH_LENGTH, MAX_URL_LENGTH } from '../../../shared/text-checks';

const port = { type: 'integer', minimum: 1, maximum: 65535 } as const;
const pathList = (maxItems: number) =>
  ({ type: 'array', maxItems, items: { type: 'string', minLength: 1, maxLength: MAX_PATH_LENGTH } }) as const;

export const SETTINGS_SCHEMA: Schema<Required<StoredSettings>> = {
  targetUrl: { type: 'string', maxLength: MAX_URL_LENGTH, pattern: '^[Hh][Tt][Tt][Pp][Ss]?://[^\\s/?#@]+(/[^\\s?#]*)?$' },
  apiKey: { type: 'string', minLength: 1, maxLength: LIMITS.apiKeyLength, pattern: '^[\\x21-\\x7e]+$' },
  headerProfile: {
    type: 'object',
    properties: {
      litellm: { type: 'boolean' },
      seedCompat: { type: 'boolean' },
      endUserId: { type: 'boolean' },
      identifies: { type: 'string', enum: [...IDENTITY_DISCLOSURES] },
    },
    additionalProperties: false,
  },
  bindHost: { type: 'string', minLength: 1, maxLength: MAX_HOSTNAME_LENGTH, pattern: '^[A-Za-z0-9_.:\\-]+$' },
  portRange: {
    type: 'object',
    properties: { start: port, end: port },
    required: ['start', 'end'],
    additionalProperties: false,
  },
  reservedPorts: { type: 'string', maxLength: MAX_PORT_LIST_LENGTH, pattern: '^[0-9,\\s-]*$' },
  jetbrainsDetection: { type: 'boolean' },
  extraIdeConfigDirs: pathList(LIMITS.extraIdeConfigDirs),
  pinnedProjects: pathList(LIMITS.pinnedProjects),
  startAtLogin: { type: 'boolean' },
  dashboardPort: { type: 'integer', minimum: 0, maximum: 65535 },
  idePort: port,
  allowedOrigins: {
    type: 'array',
    maxItems: LIMITS.allowedOrigins,
    items: { type: 'string', maxLength: MAX_URL_LENGTH, pattern: '^[Hh][Tt][Tt][Pp][Ss]?://[^\\s/?#@]+$' },
  },
  bodyLimitMb: { type: 'integer', minimum: LIMITS.bodyLimitMb.min, maximum: LIMITS.bodyLimitMb.max },
  usageLedger: { type: 'boolean' },
  usageRetentionDays: { type: 'integer', minimum: LIMITS.usageRetentionDays.min, maximum: LIMITS.usageRetentionDays.max },
};
