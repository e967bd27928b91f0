// One log line per finished request, for `run` and `serve`: what a user scans in a terminal.
// Metadata only — never a body, a query string or a header value.
import type { RequestEntry } from '../core/proxy';

function clock(at: number): string {
  return new Date(at).toTimeString().slice(0, 8);
}

export function formatRequestLine(entry: RequestEntry, project?: string): string {
  const parts = [clock(entry.at), entry.method, entry.path, String(entry.status), `${Math.round(entry.durationMs)}ms`];
  if (entry.streamed) parts.push('stream');
  if (entry.model) parts.push(`model=${entry.model}`);
  if (entry.error) parts.push(`error=${entry.error}`);
  if (project) parts.push(`[${project}]`);
  return parts.join(' ');
}
