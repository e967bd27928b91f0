// "Open project folder…": the native folder picker when the Electron preload offers one, otherwise
// a dialog where the user types or pastes an absolute path. Either way the folder is pinned and its
// proxy started by openProjectFolder.
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { ProjectState } from '../shared/api';
import { isAbsolutePath, MAX_PATH_LENGTH } from '../shared/text-checks';
import { failureText, useApp, useCall } from './app-context';
import { statusLabel } from './labels';
import { Modal } from './modal';

export function useOpenFolder(): { open: () => void; dialog: JSX.Element | null } {
  const { client, notices } = useApp();
  const call = useCall();
  const [showDialog, setShowDialog] = useState(false);

  const announceOpened = (state: ProjectState) => {
    if (state.status === 'error' || state.status === 'folder-missing') {
      notices.announce(`Opened ${state.name}, but it is not running: ${state.error?.message ?? statusLabel(state.status)}`);
    } else {
      notices.announce(state.port === null ? `Opened ${state.name}` : `Opened ${state.name} on port ${state.port}`);
    }
  };

  const open = () => {
    const pick = client.pickFolder;
    if (!pick) {
      setShowDialog(true);
      return;
    }
    void (async () => {
      let path: string | null;
      try {
        path = await pick();
      } catch (error) {
        notices.showError(failureText('show the folder dialog', error instanceof Error ? error.message : String(error)));
        return;
      }
      if (path === null) return;
      const result = await call(`open ${path}`, () => client.api.openProjectFolder({ path }));
      if (result.ok) announceOpened(result.value);
    })();
  };

  const dialog = showDialog ? (
    <OpenFolderDialog
      onClose={() => setShowDialog(false)}
      onOpened={(state) => {
        setShowDialog(false);
        announceOpened(state);
      }}
    />
  ) : null;
  return { open, dialog };
}

function pathProblem(path: string): string | null {
  if (path === '') return 'Enter the folder’s absolute path.';
  if (path.length > MAX_PATH_LENGTH) return `The path is longer than ${MAX_PATH_LENGTH} characters.`;
  if (!isAbsolutePath(path)) return 'Enter an absolute path, such as /home/you/project or C:\\Users\\you\\project.';
  return null;
}

function OpenFolderDialog({ onClose, onOpened }: { onClose: () => void; onOpened: (state: ProjectState) => void }) {
  const { client } = useApp();
  const [path, setPath] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    const trimmed = path.trim();
    const local = pathProblem(trimmed);
    setProblem(local);
    if (local) return;
    setBusy(true);
    try {
      const result = await client.api.openProjectFolder({ path: trimmed });
      if (result.ok) onOpened(result.value);
      else setProblem(failureText('open this folder', result.message));
    } catch (error) {
      setProblem(failureText('open this folder', error instanceof Error ? error.message : String(error)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal title="Open project folder" onClose={onClose}>
      <form class="modal-body" onSubmit={(event) => void submit(event)} noValidate>
        <p>The folder is pinned: it keeps its port and its proxy runs until you stop it or remove the mapping.</p>
        <label class="field-label" for="open-folder-path">
          Absolute folder path
        </label>
        <input
          id="open-folder-path"
          class="text-input mono"
          type="text"
          data-autofocus
          autoComplete="off"
          spellcheck={false}
          value={path}
          aria-invalid={problem ? 'true' : 'false'}
          aria-describedby={problem ? 'open-folder-problem' : undefined}
          onInput={(event) => setPath(event.currentTarget.value)}
        />
        <p id="open-folder-problem" class="field-error" role={problem ? 'alert' : undefined}>
          {problem}
        </p>
        <div class="modal-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" class="primary" disabled={busy}>
            {busy ? 'Opening…' : 'Open folder'}
          </button>
        </div>
      </form>
    </Modal>
  );
}
