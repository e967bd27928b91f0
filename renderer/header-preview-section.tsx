// The settings view's header preview: pick a project (or the shared IDE port), see exactly what its
// requests will carry.
import { useState } from 'preact/hooks';
import type { IdePortState, ProjectState } from '../shared/api';
import type { SettingsView } from '../shared/settings-view';
import { HeaderPreview } from './header-preview';

/** The select's value for the IDE port (never a project path: those are absolute). */
const IDE_PORT = 'ide-port';

export function HeaderPreviewSection({ projects, settings, idePort }: { projects: readonly ProjectState[]; settings: SettingsView; idePort?: IdePortState | undefined }) {
  const fallback = projects[0]?.project ?? (idePort ? IDE_PORT : null);
  const [selected, setSelected] = useState<string | null>(fallback);
  const current = selected === IDE_PORT && idePort ? IDE_PORT : projects.some((project) => project.project === selected) ? selected : fallback;

  return (
    <section class="group preview" aria-labelledby="preview-title">
      <h3 id="preview-title" class="group-title">
        Header preview
      </h3>
      {current === null ? (
        <p class="muted">Open a project to see exactly which headers its requests carry.</p>
      ) : (
        <>
          <div class="field">
            <label class="field-label" for="preview-project">
              Project
            </label>
            <select id="preview-project" class="text-input" value={current} onChange={(event) => setSelected(event.currentTarget.value)}>
              {projects.map((project) => (
                <option key={project.project} value={project.project}>
                  {project.name} — {project.project}
                </option>
              ))}
              {idePort && <option value={IDE_PORT}>IDE port :{idePort.port} — what it would send right now</option>}
            </select>
          </div>
          <HeaderPreview
            project={current === IDE_PORT ? null : current}
            settings={settings}
            headingLevel="h4"
            {...(current === IDE_PORT && idePort ? { refreshKey: idePort.ides.map((ide) => `${ide.pid}:${ide.inFront ?? ''}:${ide.lastFocused ?? ''}`).join('|') } : {})}
          />
        </>
      )}
    </section>
  );
}
