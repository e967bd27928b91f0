// Small pieces every settings field uses: labels, the ids that tie messages to inputs, the inline
// message itself and the "where this value comes from" tag.
import type { SettingProvenance } from '../shared/settings-view';
import { provenanceLabel } from './labels';
import type { FieldErrors, FieldKey } from './settings-form';

export const FIELD_LABELS: Record<FieldKey, string> = {
  targetUrl: 'LiteLLM URL',
  apiKey: 'API key',
  headerProfile: 'Identification headers',
  jetbrainsDetection: 'JetBrains detection',
  startAtLogin: 'Start at login',
  bindHost: 'Listen address',
  portRange: 'Port range',
  reservedPorts: 'Reserved ports',
  dashboardPort: 'Dashboard port',
  idePort: 'IDE port',
  bodyLimitMb: 'Request body limit',
  usageLedger: 'Record usage',
  usageRetentionDays: 'Keep usage (days)',
};

export function errorId(key: FieldKey | 'form'): string {
  return `settings-error-${key}`;
}

export function hintId(key: FieldKey): string {
  return `settings-hint-${key}`;
}

export function FieldError({ field, errors }: { field: FieldKey | 'form'; errors: FieldErrors }) {
  const message = errors[field];
  return (
    <p id={errorId(field)} class="field-error" data-field-error={field}>
      {message ?? ''}
    </p>
  );
}

export function Provenance({ provenance }: { provenance: SettingProvenance }) {
  return <span class={`provenance provenance-${provenance.source}`}>{provenanceLabel(provenance)}</span>;
}

export function describedBy(field: FieldKey, errors: FieldErrors): string {
  return errors[field] ? `${errorId(field)} ${hintId(field)}` : hintId(field);
}
