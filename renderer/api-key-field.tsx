// The API key: write-only (the page only ever sees its redacted form), saved or removed on its own.
import { useState } from 'preact/hooks';
import { checkSetting } from '../shared/settings-fields';
import type { SettingsView } from '../shared/settings-view';
import { useApp } from './app-context';
import { placeServerMessage } from './settings-form';
import { errorId, hintId, Provenance } from './settings-parts';

/** Write-only, with its own Save: it sits inside the settings form but never goes out with it. */
export function ApiKeyField({ settings, onSaved }: { settings: SettingsView; onSaved: (view: SettingsView) => void }) {
  const { client, notices } = useApp();
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { apiKey } = settings.values;

  const apply = async (value: string | null) => {
    setBusy(true);
    try {
      const result = await client.api.updateSettings({ apiKey: value }).catch((thrown: unknown) => ({
        ok: false as const,
        code: 'INTERNAL',
        message: thrown instanceof Error ? thrown.message : String(thrown),
      }));
      if (!result.ok) {
        setError(placeServerMessage(result.message).apiKey ?? result.message);
        return;
      }
      setKey('');
      setError(null);
      onSaved(result.value);
      notices.announce(value === null ? 'API key removed' : 'API key saved');
    } finally {
      setBusy(false);
    }
  };

  const submit = (event: Event) => {
    // Enter in the key field must save the key, not submit the surrounding settings form.
    event.preventDefault();
    const problem = checkSetting('apiKey', key);
    if (problem !== null) {
      setError(`${problem[0]!.toUpperCase()}${problem.slice(1)}`);
      return;
    }
    void apply(key);
  };

  return (
    <div class="field api-key" role="group" aria-labelledby="api-key-title">
      <p id="api-key-title" class="field-label">
        API key
      </p>
      <p class="hint" id={hintId('apiKey')}>
        {apiKey.isSet ? (
          <>
            A key is set: <span class="mono">{apiKey.value}</span>. The proxies send it to LiteLLM whenever a client sends no key of its own.
          </>
        ) : (
          <>No key is set: each client’s own Authorization header passes through unchanged.</>
        )}{' '}
        <Provenance provenance={apiKey} />
      </p>
      <div class="field">
        <label class="field-label" for="setting-apiKey">
          {apiKey.isSet ? 'Replace the key' : 'Set a key'}
        </label>
        <div class="inline-row">
          <input
            id="setting-apiKey"
            data-field="apiKey"
            class="text-input mono"
            type="password"
            autoComplete="off"
            spellcheck={false}
            value={key}
            aria-invalid={error ? 'true' : 'false'}
            aria-describedby={error ? `${errorId('apiKey')} ${hintId('apiKey')}` : hintId('apiKey')}
            onInput={(event) => {
              setKey(event.currentTarget.value);
              setError(null);
            }}
            onKeyDown={(event) => {
              if (event.key === 'Enter') submit(event);
            }}
          />
          <button type="button" class="primary" disabled={busy || key === ''} onClick={submit}>
            Save key
          </button>
          {apiKey.isSet && apiKey.source === 'settings' && (
            <button type="button" class="danger" disabled={busy} onClick={() => void apply(null)}>
              Remove key
            </button>
          )}
        </div>
        <p id={errorId('apiKey')} class="field-error" data-field-error="apiKey">
          {error ?? ''}
        </p>
        <p class="hint">Write-only: the key is never shown again in full. It is stored in the settings file, readable only by you.</p>
      </div>
    </div>
  );
}
