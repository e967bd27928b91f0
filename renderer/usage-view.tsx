// The Usage view: what each project spent (today, 7 and 30 days), a chart of cost per day stacked by
// project, the breakdowns by model and client, and the latest requests with their tokens and cost.
// Everything comes from one getUsage call, reloaded when today's totals in the snapshot move.
import type { AppSnapshot } from '../shared/api';
import { costText, formatCount, type UsageBreakdownRow, type UsageOverview, type UsageRecentRequest, type UsageTotals } from '../shared/usage';
import { useApp } from './app-context';
import { clockTime } from './time-text';
import { Timestamp } from './timestamp';

/** Today's requests by their time; older ones with their day too. */
function whenText(at: number): string {
  const date = new Date(at);
  if (date.toDateString() === new Date().toDateString()) return clockTime(at);
  return date.toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}
import { UsageChart } from './usage-chart';
import { useApiLoad } from './use-api-load';

/** Changes whenever a project's spend today moves, so the view reloads without polling. */
function todayKey(snapshot: AppSnapshot): string {
  return snapshot.projects.map((project) => `${project.usageToday?.requests ?? 0}:${project.usageToday?.cost ?? 0}`).join('|');
}

function TotalsCell({ totals }: { totals: UsageTotals }) {
  if (totals.requests === 0) return <td class="muted">—</td>;
  return (
    <td>
      <span class="usage-cost">{costText(totals)}</span>
      <span class="usage-sub">
        {formatCount(totals.requests)} req · {formatCount(totals.promptTokens + totals.completionTokens)} tok
        {totals.errors > 0 && <span class="usage-errors"> · {formatCount(totals.errors)} err</span>}
      </span>
    </td>
  );
}

function Breakdown({ title, rows, keyTitle }: { title: string; rows: readonly UsageBreakdownRow[]; keyTitle: string }) {
  return (
    <section class="usage-panel" aria-label={title}>
      <h3>{title}</h3>
      {rows.length === 0 ? (
        <p class="muted">Nothing recorded in the last 30 days.</p>
      ) : (
        <div class="table-scroll">
          <table class="requests">
            <thead>
              <tr>
                <th scope="col">{keyTitle}</th>
                <th scope="col">Cost</th>
                <th scope="col">Requests</th>
                <th scope="col">Tokens</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.key}>
                  <td class="wrap-anywhere">{row.key}</td>
                  <td>{costText(row)}</td>
                  <td>{formatCount(row.requests)}</td>
                  <td title={`${row.promptTokens.toLocaleString()} in, ${row.completionTokens.toLocaleString()} out`}>{formatCount(row.promptTokens + row.completionTokens)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function requestCost(request: UsageRecentRequest): string {
  if (request.cost === null) return '—';
  return costText({ cost: request.cost, estimatedCost: request.costSource === 'estimated' ? request.cost : 0, unpriced: 0 });
}

function Recent({ requests, names }: { requests: readonly UsageRecentRequest[]; names: Map<string, string> }) {
  return (
    <section class="usage-panel usage-wide" aria-label="Latest requests">
      <h3>Latest requests</h3>
      {requests.length === 0 ? (
        <p class="muted">No requests recorded yet.</p>
      ) : (
        <div class="table-scroll">
          <table class="requests">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Project</th>
                <th scope="col">Model</th>
                <th scope="col">Client</th>
                <th scope="col">Status</th>
                <th scope="col">Tokens in / out</th>
                <th scope="col">Cost</th>
              </tr>
            </thead>
            <tbody>
              {requests.map((request, index) => (
                <tr key={`${request.at}-${index}`}>
                  <td>
                    <Timestamp at={request.at}>
                      {whenText(request.at)}
                    </Timestamp>
                  </td>
                  <td title={request.project}>{names.get(request.project) ?? request.project}</td>
                  <td class="wrap-anywhere">{request.model ?? '—'}</td>
                  <td>{request.client}</td>
                  <td class={request.error !== null || request.status >= 400 ? 'req-status req-bad' : 'req-status req-good'}>
                    {request.error === null ? request.status : `${request.status} · ${request.error}`}
                  </td>
                  <td>{request.promptTokens === null ? '—' : `${formatCount(request.promptTokens)} / ${formatCount(request.completionTokens ?? 0)}`}</td>
                  <td>{requestCost(request)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function Overview({ usage }: { usage: UsageOverview }) {
  const names = new Map(usage.projects.map((project) => [project.project, project.name]));
  const series = usage.projects.map((project) => ({ project: project.project, name: project.name }));
  return (
    <>
      {usage.projects.length === 0 ? (
        <p class="muted">No usage recorded in the last 30 days. Requests through a project's port show up here.</p>
      ) : (
        <section class="usage-panel usage-wide" aria-label="Per project">
          <div class="table-scroll">
            <table class="requests usage-projects">
              <thead>
                <tr>
                  <th scope="col">Project</th>
                  <th scope="col">Today</th>
                  <th scope="col">7 days</th>
                  <th scope="col">30 days</th>
                </tr>
              </thead>
              <tbody>
                {usage.projects.map((project) => (
                  <tr key={project.project}>
                    <th scope="row" title={project.project}>
                      {project.name}
                      <span class="usage-sub mono">project:{project.slug}</span>
                    </th>
                    <TotalsCell totals={project.today} />
                    <TotalsCell totals={project.week} />
                    <TotalsCell totals={project.month} />
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
      <section class="usage-panel usage-wide" aria-label="Cost per day">
        <h3>Cost per day</h3>
        <UsageChart days={usage.days} series={series} perDay={usage.perDay} />
      </section>
      <Breakdown title="By model (30 days)" keyTitle="Model" rows={usage.byModel} />
      <Breakdown title="By client (30 days)" keyTitle="Client" rows={usage.byClient} />
      <Recent requests={usage.recent} names={names} />
    </>
  );
}

export function UsageView({ snapshot, onOpenSettings }: { snapshot: AppSnapshot; onOpenSettings: () => void }) {
  const { client } = useApp();
  const loaded = useApiLoad(() => client.api.getUsage(), [todayKey(snapshot)]);
  const usage = loaded.value;
  return (
    <section class="view" aria-labelledby="usage-title">
      <div class="view-head">
        <h2 id="usage-title">Usage</h2>
        <div class="toolbar">
          <button type="button" onClick={loaded.reload} disabled={loaded.loading}>
            Refresh
          </button>
        </div>
      </div>
      <p class="muted usage-intro">
        Tokens and cost of each request through Interceptor, recorded on this computer (never prompts, answers or keys). Costs are
        LiteLLM's; “~” marks a part estimated from tokens × LiteLLM's prices (streams carry no cost), “+” requests with no known price.
      </p>
      {loaded.error !== null && <p class="inline-error">Could not load usage: {loaded.error}</p>}
      {usage?.notices.map((notice) => (
        <div class="banner banner-warn" role="status" key={notice}>
          <p class="banner-text">{notice}</p>
        </div>
      ))}
      {usage !== undefined && !usage.enabled && (
        <div class="banner banner-warn" role="status">
          <p class="banner-text">Usage recording is off.</p>
          <button type="button" onClick={onOpenSettings}>
            Open settings
          </button>
        </div>
      )}
      {usage === undefined && loaded.error === null && <p class="muted loading">Loading usage…</p>}
      {usage !== undefined && (usage.enabled || usage.projects.length > 0) && (
        <div class="usage-grid">
          <Overview usage={usage} />
        </div>
      )}
      {usage !== undefined && <p class="muted usage-file">Database: <span class="mono wrap-anywhere">{usage.file}</span></p>}
    </section>
  );
}
