// One mapping: what it is, how it is doing, and everything the user can do with it.
import { useId, useState } from 'preact/hooks';
import type { ApiResult, IdePortState, ProjectState } from '../shared/api';
import { baseUrl } from '../shared/format';
import type { SettingsView } from '../shared/settings-view';
import { useApp, useCall } from './app-context';
import { ClientSetupDialog } from './client-setup-dialog';
import { CopyButton } from './copy-button';
import { HeaderPreview } from './header-preview';
import { countLabel, sourcesLabel, statusLabel, upstreamLabel } from './labels';
import { ConfirmDialog } from './modal';
import { RecentRequests } from './recent-requests';
import { relativeTime } from './time-text';
import { Timestamp } from './timestamp';

/** Errors a new port fixes: another program holds ours, or the OS refuses it. */
const PORT_ERRORS = new Set(['PORT_IN_USE', 'PORT_PERMISSION']);

type Busy = 'start' | 'stop' | 'reassign' | 'reveal' | 'remove' | null;

interface ProjectCardProps {
  project: ProjectState;
  bindHost?: string;
  settings: SettingsView | null;
  now: number;
  idePort?: IdePortState | undefined;
}

function hasPort(project: ProjectState): project is ProjectState & { port: number } {
  return project.port !== null;
}

export function ProjectCard({ project, bindHost, settings, now, idePort }: ProjectCardProps) {
  const { notices, client } = useApp();
  const call = useCall();
  const [busy, setBusy] = useState<Busy>(null);
  const [dialog, setDialog] = useState<'remove' | 'setup' | null>(null);
  const [expanded, setExpanded] = useState(false);
  const nameId = useId();
  const detailsId = useId();
  const { stats, status } = project;
  const running = status === 'running' || status === 'starting';

  const act = async (kind: Exclude<Busy, null>, action: string, run: () => Promise<ApiResult<unknown>>, done: () => string | null) => {
    setBusy(kind);
    try {
      const result = await call(action, run);
      const message = result.ok ? done() : null;
      if (message) notices.announce(message);
    } finally {
      setBusy(null);
    }
  };

  const arg = { project: project.project };
  const start = () => act('start', `start ${project.name}`, () => client.api.startProject(arg), () => `Started ${project.name}`);
  const stop = () => act('stop', `stop ${project.name}`, () => client.api.stopProject(arg), () => `Stopped ${project.name}`);
  const reveal = () => act('reveal', `show the folder of ${project.name}`, () => client.api.revealFolder(arg), () => null);
  const reassign = async () => {
    setBusy('reassign');
    try {
      const result = await call(`give ${project.name} a new port`, () => client.api.reassignPort(arg));
      if (result.ok) notices.announce(`${project.name} now uses port ${result.value.port ?? 'none'}`);
    } finally {
      setBusy(null);
    }
  };
  const remove = async () => {
    setDialog(null);
    await act('remove', `remove the mapping of ${project.name}`, () => client.api.removeMapping(arg), () => {
      // This card is about to go, and the focus with it: keep keyboard users in the page.
      document.getElementById('main')?.focus();
      return `Removed the mapping of ${project.name}${project.port === null ? '' : ` (port ${project.port})`}`;
    });
  };

  return (
    <li class="project" data-status={status} data-project={project.project}>
      <article aria-labelledby={nameId}>
        <div class="project-head">
          <h3 id={nameId} class="project-name">
            {project.name}
          </h3>
          <span class={`badge badge-${status}`}>{statusLabel(status)}</span>
          <span class="project-port mono">{project.port === null ? 'no port' : `:${project.port}`}</span>
        </div>
        <p class="project-path mono wrap-anywhere">{project.project}</p>

        {project.error && (
          <div class="project-error">
            <p>
              <strong>{project.error.code}:</strong> {project.error.message}
            </p>
            {project.error.fix && <p>What to do: {project.error.fix}</p>}
          </div>
        )}
        {status === 'folder-missing' && !project.error && (
          <div class="project-error">
            <p>The folder no longer exists. Remove the mapping if the project is gone for good.</p>
          </div>
        )}

        <dl class="facts">
          <div>
            <dt>Source</dt>
            <dd>{sourcesLabel(project.sources)}</dd>
          </div>
          <div>
            <dt>Requests</dt>
            <dd>
              {countLabel(stats.requests, 'request', 'requests')}, {countLabel(stats.errors, 'error', 'errors')}
            </dd>
          </div>
          <div>
            <dt>Last request</dt>
            <dd>
              {stats.lastRequestAt === null ? (
                'Never'
              ) : (
                <Timestamp at={stats.lastRequestAt}>
                  {relativeTime(stats.lastRequestAt, now)}
                </Timestamp>
              )}
            </dd>
          </div>
          <div>
            <dt>Upstream</dt>
            <dd class={project.upstream.reachable === false ? 'text-bad' : undefined}>{upstreamLabel(project.upstream)}</dd>
          </div>
        </dl>

        <div class="actions" role="group" aria-label={`Actions for ${project.name}`}>
          {hasPort(project) && (
            <CopyButton
              class={running ? 'primary' : undefined}
              text={baseUrl(project.port, bindHost)}
              label="Copy base URL"
              what={`base URL of ${project.name}`}
              describedBy={nameId}
            />
          )}
          {hasPort(project) && (
            <button type="button" aria-describedby={nameId} onClick={() => setDialog('setup')}>
              Set up clients…
            </button>
          )}
          {running ? (
            <button type="button" aria-describedby={nameId} disabled={busy !== null} onClick={() => void stop()}>
              {busy === 'stop' ? 'Stopping…' : 'Stop'}
            </button>
          ) : (
            status !== 'folder-missing' && (
              <button type="button" aria-describedby={nameId} disabled={busy !== null} onClick={() => void start()}>
                {busy === 'start' ? 'Starting…' : 'Start'}
              </button>
            )
          )}
          {project.error && PORT_ERRORS.has(project.error.code) && (
            <button type="button" class="primary" aria-describedby={nameId} disabled={busy !== null} onClick={() => void reassign()}>
              {busy === 'reassign' ? 'Reassigning…' : 'Reassign port'}
            </button>
          )}
          {status !== 'folder-missing' && (
            <button type="button" aria-describedby={nameId} disabled={busy !== null} onClick={() => void reveal()}>
              Reveal folder
            </button>
          )}
          <button
            type="button"
            aria-describedby={nameId}
            aria-expanded={expanded ? 'true' : 'false'}
            aria-controls={detailsId}
            onClick={() => setExpanded(!expanded)}
          >
            {expanded ? 'Hide details' : 'Requests & headers'}
          </button>
          <button type="button" class="danger" aria-describedby={nameId} disabled={busy !== null} onClick={() => setDialog('remove')}>
            {busy === 'remove' ? 'Removing…' : 'Remove…'}
          </button>
        </div>

        <div id={detailsId} class="project-details" hidden={!expanded}>
          {expanded && (
            <>
              <RecentRequests project={project} />
              <HeaderPreview project={project.project} settings={settings} refreshKey={`${project.port}/${project.status}`} />
            </>
          )}
        </div>
      </article>

      {dialog === 'setup' && hasPort(project) && <ClientSetupDialog project={project} bindHost={bindHost} idePort={idePort} onClose={() => setDialog(null)} />}
      {dialog === 'remove' && (
        <ConfirmDialog title={`Remove ${project.name}?`} confirmLabel="Remove mapping" onConfirm={() => void remove()} onCancel={() => setDialog(null)}>
          <p>
            The mapping of <span class="mono wrap-anywhere">{project.project}</span>
            {project.port === null ? '' : ` to port ${project.port}`} is removed from the registry and its proxy stops.
          </p>
          <p>The folder itself is not touched. If the project is opened again it gets a port again, possibly a different one.</p>
        </ConfirmDialog>
      )}
    </li>
  );
}
