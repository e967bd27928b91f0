// The shared IDE port as the one-shot verbs (`list`, `show --ide`) report it: the port in force
// (environment over the settings file over the default) and what is on it now.
import path from 'node:path';
import { baseUrl, oneUrlLine } from '../../shared/format';
import { effectiveSettings } from '../core/settings/effective-settings';
import { openSettings } from '../core/settings/settings-store';
import type { CliContext } from './command';
import { portStatus, type ListenerState } from './port-status';
import { registryOptionsFromContext } from './registry-from-context';

export interface IdePortInfo {
  port: number;
  /** What an IDE-wide client is pointed at. */
  url: string;
  /** served: an Interceptor answers there (the tray app or `interceptor serve`). */
  status: ListenerState;
  /** "One URL for every client (AI Assistant, …, Continue CLI): use <url>" */
  line: string;
}

export async function idePortInfo(ctx: CliContext): Promise<IdePortInfo> {
  const { file } = registryOptionsFromContext(ctx);
  const store = openSettings({ dir: path.dirname(file) });
  let port: number;
  let host: string;
  try {
    const { values } = effectiveSettings(store.get(), ctx.env);
    port = values.idePort.value;
    host = values.bindHost.value;
  } finally {
    store.close();
  }
  const url = baseUrl(port, host);
  return { port, url, status: (await portStatus(port)).state, line: oneUrlLine(url) };
}

export const IDE_PORT_STATUS_TEXT: Record<ListenerState, string> = {
  served: 'served by Interceptor',
  free: 'not served now: it is while the tray app or `interceptor serve` runs',
  busy: 'busy: another program holds it (choose another with INTERCEPTOR_IDE_PORT or the "IDE port" setting)',
};
