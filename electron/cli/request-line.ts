// One log line per finished request, for `run` and `serve`: what a user scans in a terminal.
// Metadata only — never a body, a query string or a header value.
import { describeUpstreamProblem } from '../core/litellm/upstream-problem';
import type { RequestEntry } from '../core/proxy';
import { formatCost } from '../../shared/usage';

let clockSecond = -1;
let clockText = '';

/** HH:MM:SS local time; formatted once per second (a time-zone lookup costs more than the rest of the line). */
function clock(at: number): string {
  const second = Math.floor(at / 1000);
  if (second !== clockSecond) {
    clockSecond = second;
    clockText = new Date(at).toTimeString().slice(0, 8);
  }
  return clockText;
}

export function formatRequestLine(entry: RequestEntry, project?: string): string {
  const parts = [clock(entry.at), entry.method, entry.path, String(entry.status), `${Math.round(entry.durationMs)}ms`];
  if (entry.streamed) parts.push('stream');
  if (entry.model) parts.push(`model=${entry.model}`);
  // The usage ledger's reading of the answer (when recording is on); stream costs are estimated later.
  const usage = entry.usage?.facts();
  if (usage !== undefined && usage.promptTokens !== null) parts.push(`tokens=${usage.promptTokens}+${usage.completionTokens ?? 0}`);
  if (usage !== undefined && usage.cost !== null) parts.push(`cost=${formatCost(usage.cost)}`);
  if (entry.error) parts.push(`error=${entry.error}`);
  if (project) parts.push(`[${project}]`);
  let line = parts.join(' ');
  if (entry.warning !== undefined) line += `\n  note: ${entry.warning}`;
  if (entry.problem !== undefined) line += `\n  ${describeUpstreamProblem(entry.problem)}`;
  return line;
}
