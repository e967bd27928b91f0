// The main view: every mapping with its live state, plus the global actions (open a folder, reset).
import { useState } from 'preact/hooks';
import type { AppSnapshot } from '../shared/api';
import type { SettingsView } from '../shared/settings-view';
import { useApp, useCall } from './app-context';
import { EmptyState } from './empty-state';
import { IdePortSection } from './ide-port-section';
import { countLabel, folderOf } from './labels';
import { ConfirmDialog } from './modal';
import { ProjectCard } from './project-card';
import { useNow } from './time-text';

interface ProjectsViewProps {
  snapshot: AppSnapshot;
  settings: SettingsView | null;
  onOpenFolder: () => void;
  onOpenSettings: () => void;
}

export function ProjectsView({ snapshot, settings, onOpenFolder, onOpenSettings }: ProjectsViewProps) {
  const { client, notices } = useApp();
  const call = useCall();
  const now = useNow();
  const [confirmReset, setConfirmReset] = useState(false);
  const [resetting, setResetting] = useState(false);
  const { projects, registry } = snapshot;
  const bindHost = settings?.values.bindHost.value;
  const backupFolder = folderOf(registry.file);

  const reset = async () => {
    setConfirmReset(false);
    setResetting(true);
    try {
      const result = await call('reset the registry', () => client.api.resetRegistry());
      if (!result.ok) return;
      const { removed, backupPath } = result.value;
      const kept = backupPath === null ? 'There was no registry file, so no backup was needed.' : `The previous registry was kept as ${backupPath}.`;
      notices.showNotice(`Registry reset: ${countLabel(removed, 'mapping', 'mappings')} removed. ${kept}`);
    } finally {
      setResetting(false);
    }
  };

  return (
    <section class="view" aria-labelledby="projects-title">
      <div class="view-head">
        <h2 id="projects-title">
          Projects <span class="count">{projects.length}</span>
        </h2>
        <div class="toolbar">
          <button type="button" class="primary" onClick={onOpenFolder}>
            Open project folder…
          </button>
          <button type="button" class="danger" disabled={resetting || projects.length === 0} onClick={() => setConfirmReset(true)}>
            {resetting ? 'Resetting…' : 'Reset all…'}
          </button>
        </div>
      </div>

      {registry.readOnly && (
        <div class="banner banner-warn">
          <p class="banner-text">The registry is read-only: {registry.readOnlyReason ?? 'it cannot be changed'}</p>
        </div>
      )}
      {registry.warnings.map((warning, index) => (
        <div class="banner banner-warn" key={index}>
          <p class="banner-text">{warning}</p>
        </div>
      ))}

      {snapshot.idePort !== undefined && <IdePortSection idePort={snapshot.idePort} />}

      {projects.length === 0 ? (
        <EmptyState detection={snapshot.detection} onOpenFolder={onOpenFolder} onOpenSettings={onOpenSettings} />
      ) : (
        <ul class="project-list" aria-label="Projects">
          {projects.map((project) => (
            <ProjectCard key={project.project} project={project} bindHost={bindHost} settings={settings} now={now} idePort={snapshot.idePort} />
          ))}
        </ul>
      )}

      {confirmReset && (
        <ConfirmDialog title="Reset all mappings?" confirmLabel="Reset registry" onConfirm={() => void reset()} onCancel={() => setConfirmReset(false)}>
          <p>
            All {countLabel(projects.length, 'mapping', 'mappings')} are removed from the registry and every proxy stops. Projects that
            are opened again get new ports, possibly different ones.
          </p>
          <p>
            A backup of the current registry is kept first, in <span class="mono wrap-anywhere">{backupFolder}</span>.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
