// The shared port: the one URL for every client — IDE-wide ones (AI Assistant, Copilot, ProxyAI,
// Cline) and command-line agents (Claude Code, Codex, the Continue CLI) — each running IDE with its
// open projects and the one in front, the projects attributed by their git work tree (no port), and
// the port's last requests with the project, the rule, and the process and folder that decided.
// Reloads its requests when the port's counters move in the snapshot.
import type { IdePortState, PortlessProjectState, RecentRequest } from '../shared/api';
import { oneUrlLine } from '../shared/format';
import { useApp } from './app-context';
import { CopyButton } from './copy-button';
import { clockTime } from './time-text';
import { Timestamp } from './timestamp';
import { useApiLoad } from './use-api-load';

const RULE_TEXT: Record<string, string> = {
  cwd: 'the folder the client works in lies in this project',
  'git-root': 'the folder the client works in lies in this git work tree',
  single: 'the only open project',
  focus: 'window in front',
  'last-focused': 'last in front',
  unattributed: 'no signal',
};

function folderName(project: string): string {
  return project.split(/[\\/]/).filter(Boolean).at(-1) ?? project;
}

function RequestRow({ request }: { request: RecentRequest }) {
  return (
    <tr>
      <td>
        <Timestamp at={request.at}>
          {clockTime(request.at)}
        </Timestamp>
      </td>
      <td class="wrap-anywhere" title={request.project}>
        {request.project === undefined ? <span class="muted">unattributed</span> : folderName(request.project)}
      </td>
      <td>
        <span class="tag" title={RULE_TEXT[request.attribution ?? ''] ?? ''}>
          {request.attribution ?? '—'}
        </span>
      </td>
      <td>{request.status === null ? '—' : request.error ? `${request.status} · ${request.error}` : request.status}</td>
      <td class="mono">{request.path}</td>
      <td class="wrap-anywhere">{request.model ?? '—'}</td>
      <td class="wrap-anywhere" title={request.folder}>
        {request.process ?? '—'}
        {request.folder !== undefined && <span class="muted mono"> in {request.folder}</span>}
      </td>
    </tr>
  );
}

function PortlessRow({ project }: { project: PortlessProjectState }) {
  return (
    <li class="wrap-anywhere" title={project.project}>
      {project.name} <span class="muted mono">{project.project}</span>{' '}
      <span class="muted">
        {project.requests} request{project.requests === 1 ? '' : 's'}, last at {clockTime(project.lastRequestAt)}
        {project.lastProcess ? ` by ${project.lastProcess}` : ''}
        {project.usageToday !== undefined ? `, $${project.usageToday.cost.toFixed(2)} today` : ''}
      </span>
    </li>
  );
}

export function IdePortSection({ idePort }: { idePort: IdePortState }) {
  const { client } = useApp();
  const { requests, errors, lastRequestAt } = idePort.stats;
  const loaded = useApiLoad(() => client.api.getIdePortRequests(), [`${requests}/${errors}/${lastRequestAt ?? ''}`]);
  const recent = loaded.value ? [...loaded.value].reverse().slice(0, 20) : [];

  return (
    <section class="project ide-port" aria-labelledby="ide-port-title" data-status={idePort.status}>
      <h3 id="ide-port-title">Shared port</h3>
      {idePort.status === 'error' ? (
        <div class="banner banner-error">
          <p class="banner-text">
            {idePort.error?.message ?? 'The IDE port is not served.'}
            {idePort.error?.fix ? ` ${idePort.error.fix}.` : ''}
          </p>
        </div>
      ) : (
        <div class="actions">
          <p class="mono wrap-anywhere">{oneUrlLine(idePort.url)}</p>
          <CopyButton class="primary" text={idePort.url} label="Copy the one URL" what="shared port URL" />
        </div>
      )}
      <p class="muted">
        Each request is attributed to the project it comes from: first the folder the client works in (a registered or open project, else the
        top of its git work tree: Claude Code, Codex, the Continue CLI), then the IDE that sent it (from the connection): its only open project,
        the project whose window is in front, or the one last in front; with no signal it is tagged <span class="mono">project:unattributed</span>.
        {idePort.focus.state === 'unavailable' ? ` The window in front cannot be read here: ${idePort.focus.message ?? ''}` : ''}
        {idePort.focus.state === 'idle' ? ' The window in front is followed only while the port has traffic.' : ''}
      </p>

      <h4>Running IDEs</h4>
      {idePort.ides.length === 0 ? (
        <p class="muted">No running JetBrains IDE with a process id: requests on this port are unattributed.</p>
      ) : (
        <ul class="ide-list" aria-label="Running IDEs">
          {idePort.ides.map((ide) => (
            <li key={ide.configDir}>
              <span>
                {ide.product}
                {ide.version ? ` ${ide.version}` : ''}
              </span>{' '}
              <span class="muted">pid {ide.pid}</span>
              {ide.openProjects.length === 0 ? (
                <p class="muted">No open project.</p>
              ) : (
                <ul aria-label={`Open projects of ${ide.product}`}>
                  {ide.openProjects.map((project) => (
                    <li key={project} class="wrap-anywhere" title={project}>
                      {folderName(project)} <span class="muted mono">{project}</span>
                      {project === ide.inFront && <span class="tag">in front now</span>}
                      {project === ide.lastFocused && project !== ide.inFront && <span class="tag">last in front</span>}
                    </li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ul>
      )}

      {idePort.portless !== undefined && idePort.portless.length > 0 && (
        <>
          <h4>Projects without a port</h4>
          <p class="muted">Attributed by their git work tree; their spend is on the Usage page like any project's.</p>
          <ul class="ide-list" aria-label="Projects without a port">
            {idePort.portless.map((project) => (
              <PortlessRow key={project.project} project={project} />
            ))}
          </ul>
        </>
      )}

      <h4>Last requests</h4>
      {loaded.error !== null && <p class="inline-error">Could not load the IDE port's requests: {loaded.error}</p>}
      {loaded.value !== undefined && recent.length === 0 && <p class="muted">No request on the IDE port yet.</p>}
      {recent.length > 0 && (
        <div class="table-scroll">
          <table class="requests">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Project</th>
                <th scope="col">Rule</th>
                <th scope="col">Status</th>
                <th scope="col">Path</th>
                <th scope="col">Model</th>
                <th scope="col">Decided by</th>
              </tr>
            </thead>
            <tbody>
              {recent.map((request, index) => (
                <RequestRow key={`${request.at}-${index}`} request={request} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
