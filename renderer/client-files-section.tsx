// "Set up clients…": the files Interceptor writes into a project so its AI clients use the project's
// port, previewed as diffs before anything is written, then applied or undone. Core plans and writes
// (electron/core/clients/); this part only shows the plan and sends the user's choice.
import { useId, useState } from 'preact/hooks';
import type { ProjectState } from '../shared/api';
import { CLIENT_IDS, CLIENT_LABELS, isModelName, type ClientFileChange, type ClientId, type ClientSetupPreview } from '../shared/client-setup';
import { useApp, useCall } from './app-context';
import { DiffView } from './diff-view';
import { useApiLoad } from './use-api-load';

const ACTION_TEXT: Record<ClientFileChange['action'], string> = {
  create: 'New file',
  update: 'Changes',
  unchanged: 'Up to date',
  blocked: 'Left untouched',
};

function FileChange({ change }: { change: ClientFileChange }) {
  return (
    <li class="client-file" data-file={change.shown} data-action={change.action}>
      <p>
        <span class={`badge badge-file-${change.action}`}>{ACTION_TEXT[change.action]}</span> <span class="mono wrap-anywhere">{change.shown}</span>
        {change.scope === 'user' && <span class="muted"> (per user, outside the project)</span>}
      </p>
      {change.problem && <p class="text-bad">{change.problem}</p>}
      {change.diff !== '' && <DiffView diff={change.diff} label={`Change to ${change.shown}`} />}
    </li>
  );
}

function PreviewView({ preview }: { preview: ClientSetupPreview }) {
  return (
    <div class="client-preview">
      {preview.clients.map((view) => (
        <section key={view.client} class="client-plan" data-client={view.client} aria-label={view.label}>
          <h4>
            {view.label}
            {!view.supported && <span class="muted"> — not set up per project</span>}
          </h4>
          {view.files.length > 0 && <ul class="client-files">{view.files.map((change) => <FileChange key={change.file} change={change} />)}</ul>}
          <ul class="client-notes">
            {view.notes.map((note) => (
              <li key={note}>{note}</li>
            ))}
          </ul>
        </section>
      ))}
      <p class="muted git-note">Git: {preview.gitExclude.note}</p>
    </div>
  );
}

export function ClientFilesSection({ project }: { project: ProjectState & { port: number } }) {
  const { client, notices } = useApp();
  const call = useCall();
  const modelId = useId();
  const [chosen, setChosen] = useState<ClientId[]>([...CLIENT_IDS]);
  const [model, setModel] = useState('');
  const [busy, setBusy] = useState<'apply' | 'undo' | null>(null);
  const trimmed = model.trim();
  const modelProblem = trimmed !== '' && !isModelName(trimmed) ? 'Letters, digits and . _ - : / @ + only.' : null;
  const request = { project: project.project, clients: chosen, ...(trimmed !== '' && modelProblem === null ? { model: trimmed } : {}) };
  const preview = useApiLoad(() => client.api.previewClientSetup(request), [project.project, project.port, chosen.join(','), trimmed]);

  const toggle = (id: ClientId, on: boolean) => setChosen(CLIENT_IDS.filter((other) => (other === id ? on : chosen.includes(other))));

  const apply = async () => {
    setBusy('apply');
    try {
      const result = await call(`set up the clients of ${project.name}`, () => client.api.applyClientSetup(request));
      if (!result.ok) return;
      const { written, skipped } = result.value;
      notices.announce(`Wrote ${written.length} file${written.length === 1 ? '' : 's'} for ${project.name}`);
      if (skipped.length > 0) notices.showError(`Not changed: ${skipped.map((s) => s.reason).join('; ')}`);
      preview.reload();
    } finally {
      setBusy(null);
    }
  };

  const undo = async () => {
    setBusy('undo');
    try {
      const result = await call(`undo the client setup of ${project.name}`, () => client.api.undoClientSetup({ project: project.project }));
      if (!result.ok) return;
      const { restored, removed, kept } = result.value;
      notices.announce(`Undid the client setup of ${project.name}: ${restored.length} restored, ${removed.length} removed`);
      if (kept.length > 0) notices.showNotice(`Kept: ${kept.map((k) => k.reason).join('; ')}`);
      preview.reload();
    } finally {
      setBusy(null);
    }
  };

  const plan = preview.value;
  const writable = plan?.clients.some((view) => view.files.some((file) => file.action === 'create' || file.action === 'update')) ?? false;
  return (
    <section class="client-files-section" aria-labelledby="client-files-title">
      <h3 id="client-files-title">Write the clients&apos; project files</h3>
      <p class="muted">
        Continue, Claude Code and Junie read a file inside the project: Interceptor can write it (merged with what is there) so they use port {project.port}. No
        key is written: each client gets the local client token its own way, as the notes say.
      </p>
      <fieldset class="client-choice">
        <legend>Clients</legend>
        {CLIENT_IDS.map((id) => (
          <label key={id}>
            <input type="checkbox" checked={chosen.includes(id)} onChange={(event) => toggle(id, (event.target as HTMLInputElement).checked)} /> {CLIENT_LABELS[id]}
          </label>
        ))}
      </fieldset>
      <label for={modelId} class="model-field">
        Model (as LiteLLM names it; optional)
        <input id={modelId} type="text" value={model} placeholder="kept from the files, else MODEL_NAME" onInput={(event) => setModel((event.target as HTMLInputElement).value)} />
      </label>
      {modelProblem && <p class="text-bad">{modelProblem}</p>}
      {chosen.length === 0 ? (
        <p class="muted">Choose at least one client.</p>
      ) : plan === undefined ? (
        <p class="muted">{preview.error !== null ? `Could not preview: ${preview.error}` : 'Preparing the preview…'}</p>
      ) : (
        <PreviewView preview={plan} />
      )}
      <div class="actions">
        <button type="button" class="primary" disabled={busy !== null || !writable || preview.loading || chosen.length === 0 || modelProblem !== null} onClick={() => void apply()}>
          {busy === 'apply' ? 'Writing…' : 'Apply'}
        </button>
        <button type="button" disabled={busy !== null || !(plan?.undoable ?? false)} onClick={() => void undo()}>
          {busy === 'undo' ? 'Undoing…' : 'Undo setup'}
        </button>
      </div>
    </section>
  );
}
