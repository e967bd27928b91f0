// "Set up clients…" for one project: the files Interceptor can write into the project (previewed as
// diffs, applied, undone), then copy-and-paste snippets for the clients configured IDE-wide. The
// snippet texts come from shared/format.ts, the same formatters the tray and the CLI use.
import type { ProjectState } from '../shared/api';
import { IDE_WIDE_NOTE, ideWideSnippets } from '../shared/format';
import { ClientFilesSection } from './client-files-section';
import { CopyButton } from './copy-button';
import { Modal } from './modal';

interface ClientSetupDialogProps {
  project: ProjectState & { port: number };
  bindHost?: string;
  onClose: () => void;
}

export function ClientSetupDialog({ project, bindHost, onClose }: ClientSetupDialogProps) {
  return (
    <Modal title={`Set up clients for ${project.name}`} onClose={onClose} class="modal-wide">
      <div class="modal-body snippets">
        <ClientFilesSection project={project} />
        <h3 class="snippets-title">Copy and paste (IDE-wide clients)</h3>
        <p class="muted">{IDE_WIDE_NOTE}</p>
        {ideWideSnippets(project.port, project.name, bindHost).map((snippet) => (
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
