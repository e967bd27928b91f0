// "Set up clients…" for one project: the files Interceptor can write into the project (previewed as
// diffs, applied, undone), then copy-and-paste snippets for the clients configured IDE-wide. The
// snippet texts come from shared/format.ts, the same formatters the tray and the CLI use.
import type { IdePortState, ProjectState } from '../shared/api';
import { ideWideNote, ideWideSnippets } from '../shared/format';
import { ClientFilesSection } from './client-files-section';
import { CopyButton } from './copy-button';
import { Modal } from './modal';

interface ClientSetupDialogProps {
  project: ProjectState & { port: number };
  bindHost?: string;
  /** The shared IDE port, which the IDE-wide clients get while it is served. */
  idePort?: IdePortState | undefined;
  onClose: () => void;
}

export function ClientSetupDialog({ project, bindHost, idePort, onClose }: ClientSetupDialogProps) {
  const served = idePort?.status === 'running' ? idePort : undefined;
  return (
    <Modal title={`Set up clients for ${project.name}`} onClose={onClose} class="modal-wide">
      <div class="modal-body snippets">
        <ClientFilesSection project={project} />
        <h3 class="snippets-title">Copy and paste</h3>
        <p class="muted">{ideWideNote(served?.url ?? null)}</p>
        {ideWideSnippets(project.port, project.name, bindHost, served?.port).map((snippet) => (
          <section class="snippet" key={snippet.id} data-snippet={snippet.id} aria-labelledby={`snippet-${snippet.id}`}>
            <div class="snippet-head">
              <h3 id={`snippet-${snippet.id}`}>{snippet.title}</h3>
              <CopyButton
                text={snippet.text}
                label="Copy"
                what={`${snippet.title} snippet for ${project.name}`}
                describedBy={`snippet-${snippet.id}`}
              />
            </div>
            <p class="muted">{snippet.hint}</p>
            <pre class="snippet-text">
              <code>{snippet.text}</code>
            </pre>
          </section>
        ))}
      </div>
      <div class="modal-actions">
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
    </Modal>
  );
}
