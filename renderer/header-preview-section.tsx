// The settings view's header preview: pick a project, see exactly what its requests will carry.
import { useState } from 'preact/hooks';
import type { ProjectState } from '../shared/api';
import type { SettingsView } from '../shared/settings-view';
import { HeaderPreview } from './header-preview';

export function HeaderPreviewSection({ projects, settings }: { projects: readonly ProjectState[]; settings: SettingsView }) {
  const [selected, setSelected] = useState<string | null>(projects[0]?.project ?? null);
  const current = projects.some((project) => project.project === selected) ? selected : (projects[0]?.project ?? null);

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
            </select>
          </div>
          <HeaderPreview project={current} settings={settings} headingLevel="h4" />
        </>
      )}
    </section>
  );
}
