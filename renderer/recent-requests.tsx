// The last requests a project's proxy handled (core's ring buffer), newest first. It reloads when
// the project's counters move in the snapshot, so it stays live without polling.
import type { ProjectState, RecentRequest } from '../shared/api';
import { useApp } from './app-context';
import { clockTime } from './time-text';
import { Timestamp } from './timestamp';
import { useApiLoad } from './use-api-load';

function statsKey(project: ProjectState): string {
  const { requests, errors, lastRequestAt } = project.stats;
  return `${requests}/${errors}/${lastRequestAt ?? ''}`;
}

function statusText(request: RecentRequest): string {
  if (request.error) return request.status === null ? request.error : `${request.status} · ${request.error}`;
  return request.status === null ? 'in flight' : String(request.status);
}

function statusClass(request: RecentRequest): string {
  if (request.error || (request.status !== null && request.status >= 400)) return 'req-status req-bad';
  return request.status === null ? 'req-status' : 'req-status req-good';
}

export function RecentRequests({ project }: { project: ProjectState }) {
  const { client } = useApp();
  const loaded = useApiLoad(() => client.api.getRecentRequests({ project: project.project }), [project.project, statsKey(project)]);
  const requests = loaded.value ? [...loaded.value].reverse() : [];

  return (
    <section class="detail-section" aria-label={`Recent requests of ${project.name}`}>
      <h4>Recent requests</h4>
      {loaded.error !== null && <p class="inline-error">Could not load recent requests: {loaded.error}</p>}
      {loaded.value !== undefined && requests.length === 0 && (
        <p class="muted">No requests yet. Point your IDE at the base URL and send one; it shows up here.</p>
      )}
      {loaded.value === undefined && loaded.error === null && <p class="muted">Loading…</p>}
      {requests.length > 0 && (
        <div class="table-scroll">
          <table class="requests">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Method</th>
                <th scope="col">Path</th>
                <th scope="col">Status</th>
                <th scope="col">Duration</th>
                <th scope="col">Model</th>
                <th scope="col">Streamed</th>
              </tr>
            </thead>
            <tbody>
              {requests.map((request, index) => (
                <tr key={`${request.at}-${index}`}>
                  <td>
                    <Timestamp at={request.at}>
                      {clockTime(request.at)}
                    </Timestamp>
                  </td>
                  <td>{request.method}</td>
                  <td class="mono">{request.path}</td>
                  <td class={statusClass(request)}>{statusText(request)}</td>
                  <td>{request.durationMs === null ? '—' : `${Math.round(request.durationMs).toLocaleString()} ms`}</td>
                  <td class="wrap-anywhere">{request.model ?? '—'}</td>
                  <td>{request.streamed ? 'Yes' : 'No'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
