// Settings: every value with where it comes from, checked as the user types with the same rules the
// main process applies, saved as one update of only the changed keys. The API key has its own
// write-only field (api-key-field.tsx); a preview shows the headers a project's requests carry.
import type { ComponentChildren } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { IdePortState, ProjectState } from '../shared/api';
import { IDENTITY_DISCLOSURES, type IdentityDisclosure, type SettingsUpdate } from '../shared/settings-fields';
import type { SettingsView } from '../shared/settings-view';
import { ApiKeyField } from './api-key-field';
import { ClientTokenSection } from './client-token-section';
import { useApp } from './app-context';
import { HeaderPreviewSection } from './header-preview-section';
import {
  buildUpdate,
  changedDrafts,
  DRAFT_FIELD,
  draftsFrom,
  placeServerMessage,
  rebaseDrafts,
  type DraftKey,
  type Drafts,
  type FieldErrors,
  type FieldKey,
} from './settings-form';
import { describedBy, errorId, FIELD_LABELS, FieldError, hintId, Provenance } from './settings-parts';

const DISCLOSURE_LABELS: Record<IdentityDisclosure, string> = {
  project: 'The project slug only',
  folder: 'The project slug and folder name',
  machine: 'The project slug, folder name and machine name',
};

interface SettingsPanelProps {
  settings: SettingsView;
  projects: readonly ProjectState[];
  idePort?: IdePortState | undefined;
  onSaved: (view: SettingsView) => void;
}

export function SettingsPanel({ settings, projects, idePort, onSaved }: SettingsPanelProps) {
  const { client, notices } = useApp();
  const [base, setBase] = useState(() => draftsFrom(settings));
  const [drafts, setDrafts] = useState(base);
  const [touched, setTouched] = useState<ReadonlySet<DraftKey>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [serverErrors, setServerErrors] = useState<FieldErrors>({});
  const [saving, setSaving] = useState(false);

  // A new view (saved here, or the file edited elsewhere): untouched fields follow it.
  useEffect(() => {
    const next = draftsFrom(settings);
    setDrafts((current) => rebaseDrafts(current, base, next));
    setBase(next);
    // Only a new settings object re-bases; `base` is read as the previous one on purpose.
  }, [settings]);

  const built = useMemo(() => buildUpdate(drafts, base), [drafts, base]);
  const changed = changedDrafts(drafts, base);

  // Local messages show once a field was left or the form submitted; server messages until edited.
  const errors: FieldErrors = { ...serverErrors };
  for (const [field, message] of Object.entries(built.errors) as [FieldKey, string][]) {
    const shown = submitted || (Object.keys(DRAFT_FIELD) as DraftKey[]).some((key) => DRAFT_FIELD[key] === field && touched.has(key));
    if (shown) errors[field] = message;
  }

  const edit = <K extends DraftKey>(key: K, value: Drafts[K]) => {
    setDrafts((current) => ({ ...current, [key]: value }));
    setServerErrors((current) => {
      const field = DRAFT_FIELD[key];
      if (!(field in current) && !('form' in current)) return current;
      const next = { ...current };
      delete next[field];
      delete next.form;
      return next;
    });
  };
  const leave = (key: DraftKey) => setTouched((current) => new Set(current).add(key));

  const send = async (update: SettingsUpdate): Promise<boolean> => {
    const result = await client.api.updateSettings(update).catch((error: unknown) => ({
      ok: false as const,
      code: 'INTERNAL',
      message: error instanceof Error ? error.message : String(error),
    }));
    if (!result.ok) {
      setServerErrors(placeServerMessage(result.message));
      notices.announce(`Settings not saved: ${result.message}`);
      return false;
    }
    setServerErrors({});
    onSaved(result.value);
    return true;
  };

  const save = async (event: Event) => {
    event.preventDefault();
    setSubmitted(true);
    if (Object.keys(built.errors).length > 0) {
      const first = Object.keys(built.errors)[0] as FieldKey;
      notices.announce(`Settings not saved: check ${FIELD_LABELS[first]}`);
      document.querySelector<HTMLElement>(`[data-field="${first}"]`)?.focus();
      return;
    }
    if (Object.keys(built.update).length === 0) {
      notices.announce('No changes to save');
      return;
    }
    setSaving(true);
    try {
      if (await send(built.update)) {
        setSubmitted(false);
        setTouched(new Set());
        notices.announce('Settings saved');
      }
    } finally {
      setSaving(false);
    }
  };

  const useDefault = async (key: FieldKey) => {
    // Drop edits of this setting first, so the new view's value (the default) replaces them.
    setDrafts((current) => {
      const next = { ...current };
      for (const draft of Object.keys(DRAFT_FIELD) as DraftKey[]) {
        if (DRAFT_FIELD[draft] === key) (next as Record<DraftKey, string | boolean>)[draft] = base[draft];
      }
      return next;
    });
    setSaving(true);
    try {
      if (await send({ [key]: null })) {
        notices.announce(`${FIELD_LABELS[key]} is back to its default`);
      }
    } finally {
      setSaving(false);
    }
  };

  const { values } = settings;
  const textField = (key: 'targetUrl' | 'bindHost' | 'reservedPorts' | 'dashboardPort' | 'idePort' | 'bodyLimitMb' | 'usageRetentionDays', hint: ComponentChildren, inputMode?: 'numeric') => (
    <div class="field">
      <label class="field-label" for={`setting-${key}`}>
        {FIELD_LABELS[key]}
      </label>
      <input
        id={`setting-${key}`}
        data-field={key}
        class={inputMode ? 'text-input narrow' : 'text-input'}
        type="text"
        inputMode={inputMode}
        autoComplete="off"
        spellcheck={false}
        value={drafts[key]}
        aria-invalid={errors[key] ? 'true' : 'false'}
        aria-describedby={describedBy(key, errors)}
        onInput={(event) => edit(key, event.currentTarget.value)}
        onBlur={() => leave(key)}
      />
      <FieldError field={key} errors={errors} />
      <p id={hintId(key)} class="hint">
        {hint} <Provenance provenance={values[key]} />
        {values[key].source === 'settings' && <DefaultButton onClick={() => void useDefault(key)} disabled={saving} />}
      </p>
    </div>
  );

  const checkbox = (key: 'litellm' | 'seedCompat' | 'endUserId' | 'jetbrainsDetection' | 'startAtLogin' | 'usageLedger', label: string, hint: string) => (
    <div class="check-field">
      <input
        id={`setting-${key}`}
        data-field={DRAFT_FIELD[key]}
        type="checkbox"
        checked={drafts[key]}
        onChange={(event) => {
          edit(key, event.currentTarget.checked);
          leave(key);
        }}
      />
      <label for={`setting-${key}`}>
        <span class="check-label">{label}</span>
        <span class="hint">{hint}</span>
      </label>
    </div>
  );

  return (
    <section class="view settings" aria-labelledby="settings-title">
      <div class="view-head">
        <h2 id="settings-title">Settings</h2>
      </div>
      <p class="muted">
        Stored in <span class="mono wrap-anywhere">{settings.file}</span>. Environment variables win over this file.
      </p>
      {settings.problems.length > 0 && (
        <ul class="problems" aria-label="Problems with the settings">
          {settings.problems.map((problem, index) => (
            <li key={index} class={problem.severity === 'error' ? 'banner banner-error' : 'banner banner-warn'}>
              <p class="banner-text">
                {problem.message}
                {problem.backupPath ? ` (the unreadable file was kept as ${problem.backupPath})` : ''}
              </p>
            </li>
          ))}
        </ul>
      )}

      <form class="settings-form" noValidate onSubmit={(event) => void save(event)} aria-label="Settings">
        <fieldset class="group">
          <legend>Upstream</legend>
          {textField('targetUrl', 'The LiteLLM proxy every project’s requests are forwarded to, such as http://localhost:4000.')}
          <ApiKeyField settings={settings} onSaved={onSaved} />
        </fieldset>

        <fieldset class="group" aria-describedby={`${errorId('headerProfile')} ${hintId('headerProfile')}`}>
          <legend>Identification headers</legend>
          <p id={hintId('headerProfile')} class="hint">
            What LiteLLM learns about each request. <Provenance provenance={values.headerProfile} />
          </p>
          {checkbox('litellm', 'LiteLLM headers', 'Tags and metadata LiteLLM understands natively (x-litellm-…).')}
          {checkbox('seedCompat', 'Original interceptor headers', 'The headers the Python interceptor sent, for setups that match on them.')}
          {checkbox('endUserId', 'Project as end user', 'LiteLLM then budgets and reports usage per project.')}
          <div class="field">
            <label class="field-label" for="setting-identifies">
              What identifies you
            </label>
            <select
              id="setting-identifies"
              class="text-input"
              data-field={DRAFT_FIELD.identifies}
              value={drafts.identifies}
              onChange={(event) => {
                edit('identifies', event.currentTarget.value as IdentityDisclosure);
                leave('identifies');
              }}
            >
              {IDENTITY_DISCLOSURES.map((choice) => (
                <option key={choice} value={choice}>
                  {DISCLOSURE_LABELS[choice]}
                </option>
              ))}
            </select>
            <p class="hint">
              LiteLLM logs every x-… header, and sends them on to the model provider when its forward_client_headers_to_llm_api is on. The
              header preview shows what each choice sends.
            </p>
          </div>
          <FieldError field="headerProfile" errors={errors} />
        </fieldset>

        <fieldset class="group">
          <legend>Projects</legend>
          {checkbox('jetbrainsDetection', 'Detect JetBrains projects', 'Serve every project open in a JetBrains IDE, and stop when it closes.')}
          <FieldError field="jetbrainsDetection" errors={errors} />
          {checkbox('startAtLogin', 'Start at login', 'Start Interceptor when you log in to this computer.')}
          {checkbox('usageLedger', 'Record usage', "Keep each request's tokens and cost (never prompts, answers or keys) in interceptor-usage.sqlite beside the registry.")}
          <FieldError field="usageLedger" errors={errors} />
          <FieldError field="startAtLogin" errors={errors} />
        </fieldset>

        <fieldset class="group">
          <legend>Network</legend>
          {textField('bindHost', 'Where the proxies listen. Keep 127.0.0.1: other addresses expose them to the network.')}
          <div class="field">
            <fieldset class="range" aria-describedby={describedBy('portRange', errors)}>
              <legend class="field-label">{FIELD_LABELS.portRange}</legend>
              <div class="range-inputs">
                <label for="setting-portStart">From</label>
                <input
                  id="setting-portStart"
                  data-field="portRange"
                  class="text-input narrow"
                  type="text"
                  inputMode="numeric"
                  autoComplete="off"
                  value={drafts.portStart}
                  aria-invalid={errors.portRange ? 'true' : 'false'}
                  onInput={(event) => edit('portStart', event.currentTarget.value)}
                  onBlur={() => leave('portStart')}
                />
                <label for="setting-portEnd">to</label>
                <input
                  id="setting-portEnd"
                  class="text-input narrow"
                  type="text"
                  inputMode="numeric"
                  autoComplete="off"
                  value={drafts.portEnd}
                  aria-invalid={errors.portRange ? 'true' : 'false'}
                  onInput={(event) => edit('portEnd', event.currentTarget.value)}
                  onBlur={() => leave('portEnd')}
                />
              </div>
            </fieldset>
            <FieldError field="portRange" errors={errors} />
            <p id={hintId('portRange')} class="hint">
              New projects get a port from this range; existing mappings keep theirs. Start:{' '}
              <Provenance provenance={values.portRange.parts.start} />; end: <Provenance provenance={values.portRange.parts.end} />
              {values.portRange.source === 'settings' && <DefaultButton onClick={() => void useDefault('portRange')} disabled={saving} />}
            </p>
          </div>
          {textField('reservedPorts', 'Ports never handed out, such as 8900,8950-8960. Empty for none.')}
          {textField('dashboardPort', 'The web dashboard’s port; 0 picks a free one at each start.', 'numeric')}
          {textField(
            'idePort',
            'One port for clients with one URL per IDE (AI Assistant, Copilot, ProxyAI, Cline); each request is attributed to its project. Outside the port range.',
            'numeric',
          )}
          {textField('bodyLimitMb', 'The largest request body a proxy accepts, in MiB (1–1024).', 'numeric')}
          {textField('usageRetentionDays', 'Days of recorded usage kept (1–3650).', 'numeric')}
        </fieldset>

        <FieldError field="form" errors={errors} />
        <div class="form-actions">
          <button type="submit" class="primary" disabled={saving}>
            {saving ? 'Saving…' : 'Save changes'}
          </button>
          <button
            type="button"
            disabled={saving || changed.length === 0}
            onClick={() => {
              setDrafts(base);
              setTouched(new Set());
              setSubmitted(false);
              setServerErrors({});
            }}
          >
            Discard changes
          </button>
          <span class="muted">{changed.length === 0 ? 'No unsaved changes' : `${changed.length} unsaved ${changed.length === 1 ? 'change' : 'changes'}`}</span>
        </div>
      </form>

      <ClientTokenSection />
      <HeaderPreviewSection projects={projects} settings={settings} idePort={idePort} />
    </section>
  );
}

function DefaultButton({ onClick, disabled }: { onClick: () => void; disabled: boolean }) {
  return (
    <>
      {' '}
      <button type="button" class="link" disabled={disabled} onClick={onClick}>
        Use default
      </button>
    </>
  );
}
