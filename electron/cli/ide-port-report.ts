// `interceptor detect`'s IDE-port part: per running IDE its PID, open projects and the project in
// front now (one reading of the window in front, with the same code the app runs), and the IDE
// port's last requests with their project and rule, asked of the running Interceptor.
import type { RecentRequest, RunningIdeState } from '../../shared/api';
import { platformFocusProvider } from '../core/attribution/focus/focus-provider';
import { FocusTracker } from '../core/attribution/focus/focus-tracker';
import { processTableFor } from '../core/attribution/process-info';
import { lastFocusedRule } from '../core/attribution/rules';
import { RunningIdes } from '../core/attribution/running-ides';
import type { DetectReport } from '../core/discovery/jetbrains/detect-jetbrains';
import type { CliContext } from './command';
import { idePortInfo } from './ide-port-info';
import { findRunningInstance } from './instance-client';
import { registryOptionsFromContext } from './registry-from-context';

/** Requests shown; the running Interceptor keeps more. */
const SHOWN_REQUESTS = 10;
const FOCUS_READ_MS = 1500;

/** A running IDE as `detect` reports it: the window's own description. */
export type RunningIdeReport = RunningIdeState;

export interface IdePortReport {
  runningIdes: RunningIdeReport[];
  focus: { state: 'readable' | 'unavailable'; message?: string; window?: { pid: number; title: string } };
  idePort: { port: number; url: string; status: string; served: boolean; recent: RecentRequest[] };
}

export async function idePortReport(ctx: CliContext, report: DetectReport): Promise<IdePortReport> {
  const ides = new RunningIdes(() => report);
  const provider = await platformFocusProvider(process.platform, ctx.env);
  const tracker = new FocusTracker({ provider, ides, processes: processTableFor() });
  let runningIdes: RunningIdeReport[];
  let focus: IdePortReport['focus'];
  try {
    const running = await ides.current();
    await tracker.readNow(FOCUS_READ_MS);
    const state = tracker.state();
    const front = tracker.frontNow();
    focus = state.state === 'unavailable' ? { state: 'unavailable', message: state.message } : { state: 'readable', ...(front ? { window: { pid: front.pid, title: front.title } } : {}) };
    runningIdes = running.map((ide) => ({
      product: ide.productName,
      ...(ide.version !== undefined ? { version: ide.version } : {}),
      pid: ide.pid,
      configDir: ide.configDir,
      openProjects: ide.openProjects.map((project) => project.path),
      inFront: front?.ideConfigDir === ide.configDir && front.projects.length === 1 ? (front.projects[0] as string) : null,
      lastFocused: lastFocusedRule.decide({ ide, focus: tracker, peer: { chain: [] } }) ?? null,
    }));
  } finally {
    tracker.close();
  }
  const info = await idePortInfo(ctx);
  let recent: RecentRequest[] = [];
  let served = false;
  const instance = await findRunningInstance(registryOptionsFromContext(ctx).file).catch(() => null);
  if (instance !== null) {
    try {
      recent = (await instance.call('getIdePortRequests')).slice(-SHOWN_REQUESTS);
      served = true;
    } catch {
      // An older or unreachable instance: the requests are not known here.
    }
  }
  return { runningIdes, focus, idePort: { port: info.port, url: info.url, status: info.status, served, recent } };
}

function clock(at: number): string {
  return new Date(at).toTimeString().slice(0, 8);
}

export function formatIdePortReport(result: IdePortReport): string {
  const out: string[] = [''];
  out.push(`Shared port (one URL for every client): ${result.idePort.url} (${result.idePort.status === 'served' ? 'served' : 'not served now'})`);
  if (result.runningIdes.length === 0) {
    out.push('  No running JetBrains IDE with a process id: its requests would be unattributed.');
  }
  for (const ide of result.runningIdes) {
    out.push(`  ${ide.version ? `${ide.product} ${ide.version}` : ide.product} (pid ${ide.pid}), ${ide.openProjects.length} open project(s):`);
    for (const project of ide.openProjects) {
      const marks = [project === ide.inFront ? 'in front now' : '', project === ide.lastFocused ? 'last focused' : ''].filter(Boolean);
      out.push(`    ${project}${marks.length > 0 ? `  (${marks.join(', ')})` : ''}`);
    }
  }
  if (result.focus.state === 'unavailable') out.push(`  ! The window in front cannot be read: ${result.focus.message ?? ''}`);
  else if (result.focus.window) out.push(`  In front: "${result.focus.window.title}" (pid ${result.focus.window.pid})`);
  if (result.idePort.served) {
    if (result.idePort.recent.length === 0) out.push('  No request on the IDE port yet.');
    else {
      out.push(`  Last requests (${result.idePort.recent.length}):`);
      for (const request of [...result.idePort.recent].reverse()) {
        const decidedBy = request.process === undefined ? '' : `  (${request.process}${request.folder !== undefined ? ` in ${request.folder}` : ''})`;
        out.push(`    ${clock(request.at)}  ${request.status ?? '-'}  ${request.attribution ?? '-'}  ${request.project ?? 'unattributed'}  ${request.method} ${request.path}${decidedBy}`);
      }
    }
  }
  return `${out.join('\n')}\n`;
}
