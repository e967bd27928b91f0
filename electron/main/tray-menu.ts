// The tray's context menu, tooltip and macOS title as a pure function of the engine's snapshot.
// Items carry action objects instead of click handlers, so the whole menu is plain data: tests read
// it without Electron, main maps actions to handlers (menu-template.ts), and an unchanged model is
// not pushed to the OS again (Linux re-exports the whole D-Bus menu and closes an open one).
import type { AppSnapshot, ProjectState } from '../../shared/api';
import { baseUrl, oneUrlLine, proxyAiEndpoint } from '../../shared/format';
import { costText } from '../../shared/usage';
import { PRODUCT_NAME } from './app-identity';

export type TrayAction =
  | { kind: 'copy'; text: string }
  | { kind: 'reveal-folder'; project: string }
  | { kind: 'start-project'; project: string }
  | { kind: 'stop-project'; project: string }
  | { kind: 'remove-mapping'; project: string; name: string; port: number }
  | { kind: 'open-window' }
  | { kind: 'open-project-folder' }
  | { kind: 'set-detection'; enabled: boolean }
  | { kind: 'set-start-at-login'; enabled: boolean }
  | { kind: 'quit' };

export interface TrayMenuItem {
  type?: 'normal' | 'separator' | 'submenu' | 'checkbox';
  label?: string;
  enabled?: boolean;
  checked?: boolean;
  action?: TrayAction;
  submenu?: TrayMenuItem[];
}

export interface TrayMenuModel {
  template: TrayMenuItem[];
  tooltip: string;
  /** Shown beside the icon on macOS: the number of running proxies, empty when none. */
  title: string;
}

export interface TrayMenuOptions {
  platform: NodeJS.Platform;
  /** From settings: what a client dials (a wildcard bind is shown as loopback). */
  bindHost?: string;
  /** From settings: the "Start at login" checkbox. */
  startAtLogin: boolean;
  /** Projects listed before the rest is summarised (a long menu is unusable). */
  maxProjects?: number;
}

const DEFAULT_MAX_PROJECTS = 25;
const MAX_NAME_LENGTH = 48;
const MAX_DETAIL_LENGTH = 80;
// Windows caps a tray tooltip at 127 characters.
const MAX_TOOLTIP_LENGTH = 127;

const SEPARATOR: TrayMenuItem = { type: 'separator' };

/** Projects the tray lists: running or failing ones, and those an IDE or a pin keeps open. */
export function isServed(project: ProjectState): boolean {
  if (project.status === 'running' || project.status === 'starting' || project.status === 'error') return true;
  // A bare registry mapping (CLI-only source) is not "served"; the window lists those.
  return project.sources.some((source) => source.kind !== 'cli');
}

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Keeps the start and the end of a path, where the informative parts are. */
function shortenMiddle(text: string, max: number): string {
  if (text.length <= max) return text;
  const keep = max - 1;
  const head = Math.ceil(keep / 2);
  return `${text.slice(0, head)}…${text.slice(text.length - (keep - head))}`;
}

/**
 * Makes untrusted text (folder names, error messages) safe as a menu label: control characters
 * would break the line, and Windows and Linux read a single "&" as a mnemonic marker.
 */
export function menuText(text: string, platform: NodeJS.Platform): string {
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\u0000-\u001f\u007f]+/g, ' ');
  return platform === 'darwin' ? flat : flat.replace(/&/g, '&&');
}

const STATUS_SUFFIX: Record<ProjectState['status'], string> = {
  running: '',
  starting: ' (starting…)',
  stopped: ' (stopped)',
  error: ' (error)',
  'folder-missing': ' (folder missing)',
};

/** "name — :port", the way every client configuration refers to a project. */
export function projectLabel(project: ProjectState, platform: NodeJS.Platform): string {
  const name = menuText(shorten(project.name, MAX_NAME_LENGTH), platform);
  const port = project.port === null ? 'no port' : `:${project.port}`;
  return `${name} — ${port}${STATUS_SUFFIX[project.status]}`;
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

function statusLine(project: ProjectState, platform: NodeJS.Platform): string {
  switch (project.status) {
    case 'running': {
      const { requests, errors } = project.stats;
      const counts = errors > 0 ? `${plural(requests, 'request', 'requests')}, ${plural(errors, 'error', 'errors')}` : plural(requests, 'request', 'requests');
      return `Running · ${counts}`;
    }
    case 'starting':
      return 'Starting…';
    case 'stopped':
      return 'Stopped';
    case 'folder-missing':
      return 'Folder missing';
    case 'error':
      return menuText(shorten(`Error: ${project.error?.message ?? 'the proxy failed'}`, MAX_DETAIL_LENGTH), platform);
  }
}

/** What a project spent today, from the usage ledger: "$0.42" ("~" estimated in part, "+" some unpriced). */
function spentToday(project: ProjectState): string | undefined {
  const today = project.usageToday;
  return today === undefined || today.requests === 0 ? undefined : costText(today);
}

/** "alpha — $0.42 today", for each served project that spent something today, biggest first. */
function spendLines(served: readonly ProjectState[], platform: NodeJS.Platform): TrayMenuItem[] {
  return served
    .filter((project) => spentToday(project) !== undefined)
    .sort((a, b) => (b.usageToday?.cost ?? 0) - (a.usageToday?.cost ?? 0))
    .map((project) => ({ label: `${menuText(shorten(project.name, MAX_NAME_LENGTH), platform)} — ${spentToday(project) as string} today`, enabled: false }));
}

function projectSubmenu(project: ProjectState, options: TrayMenuOptions): TrayMenuItem[] {
  const { platform, bindHost } = options;
  const { port } = project;
  const info = (label: string): TrayMenuItem => ({ label, enabled: false });
  const items: TrayMenuItem[] = [info(statusLine(project, platform)), info(menuText(shortenMiddle(project.project, MAX_DETAIL_LENGTH), platform))];
  const spent = spentToday(project);
  if (spent !== undefined) items.splice(1, 0, info(`Today: ${spent} · ${plural(project.usageToday?.requests ?? 0, 'request', 'requests')}`));
  if (project.status === 'error' && project.error?.fix) items.push(info(menuText(shorten(project.error.fix, MAX_DETAIL_LENGTH), platform)));
  items.push(SEPARATOR);
  items.push(
    port === null
      ? { label: 'Copy base URL', enabled: false }
      : { label: 'Copy base URL', action: { kind: 'copy', text: baseUrl(port, bindHost) } },
    port === null
      ? { label: 'Copy ProxyAI endpoint', enabled: false }
      : { label: 'Copy ProxyAI endpoint', action: { kind: 'copy', text: proxyAiEndpoint(port, bindHost) } },
    project.status === 'folder-missing'
      ? { label: 'Open folder', enabled: false }
      : { label: 'Open folder', action: { kind: 'reveal-folder', project: project.project } },
  );
  if (project.status === 'running' || project.status === 'starting') {
    items.push({ label: 'Stop', action: { kind: 'stop-project', project: project.project } });
  } else if (project.status === 'folder-missing') {
    items.push({ label: 'Start', enabled: false });
  } else {
    items.push({ label: 'Start', action: { kind: 'start-project', project: project.project } });
  }
  items.push(SEPARATOR);
  items.push(
    port === null
      ? { label: 'Remove mapping…', enabled: false }
      : { label: 'Remove mapping…', action: { kind: 'remove-mapping', project: project.project, name: project.name, port } },
  );
  return items;
}

function headline(served: ProjectState[], running: number): string {
  if (served.length === 0) return 'No open projects';
  return `${plural(running, 'proxy', 'proxies')} running`;
}

export function buildTrayMenu(snapshot: AppSnapshot, options: TrayMenuOptions): TrayMenuModel {
  const served = snapshot.projects.filter(isServed);
  const running = served.filter((project) => project.status === 'running').length;
  const failing = served.filter((project) => project.status === 'error').length;
  const max = options.maxProjects ?? DEFAULT_MAX_PROJECTS;

  const template: TrayMenuItem[] = [{ label: headline(served, running), enabled: false }];
  if (served.length === 0) {
    template.push({ label: 'Open a project in a JetBrains IDE, or use Open project folder…', enabled: false });
  }
  if (snapshot.registry.readOnly) {
    template.push({ label: menuText(shorten(`Registry is read-only: ${snapshot.registry.readOnlyReason ?? 'see the window'}`, MAX_DETAIL_LENGTH), options.platform), enabled: false });
  }
  if (served.some((project) => project.status === 'running' && project.upstream.reachable === false)) {
    template.push({ label: 'LiteLLM is unreachable: requests fail until it is back', enabled: false });
  }
  const spending = spendLines(served.slice(0, max), options.platform);
  if (spending.length > 0) template.push(SEPARATOR, ...spending);
  if (served.length > 0) template.push(SEPARATOR);
  for (const project of served.slice(0, max)) {
    template.push({ type: 'submenu', label: projectLabel(project, options.platform), submenu: projectSubmenu(project, options) });
  }
  if (served.length > max) {
    template.push({ label: `… and ${served.length - max} more (Open window… lists all)`, enabled: false });
  }
  const idePort = snapshot.idePort;
  if (idePort !== undefined) {
    // The one URL for every client (IDE-wide ones and command-line agents); choosing it copies the URL.
    template.push(
      SEPARATOR,
      idePort.status === 'error'
        ? { label: menuText(shorten(`IDE port: ${idePort.error?.message ?? 'not served'}`, MAX_DETAIL_LENGTH), options.platform), enabled: false }
        : { label: menuText(oneUrlLine(idePort.url, false), options.platform), action: { kind: 'copy', text: idePort.url } },
    );
  }
  template.push(
    SEPARATOR,
    { label: 'Open window…', action: { kind: 'open-window' } },
    { label: 'Open project folder…', action: { kind: 'open-project-folder' } },
    SEPARATOR,
    {
      type: 'checkbox',
      label: 'Detect JetBrains projects',
      checked: snapshot.detection.enabled,
      action: { kind: 'set-detection', enabled: !snapshot.detection.enabled },
    },
    {
      type: 'checkbox',
      label: 'Start at login',
      checked: options.startAtLogin,
      action: { kind: 'set-start-at-login', enabled: !options.startAtLogin },
    },
    SEPARATOR,
    { label: 'Quit', action: { kind: 'quit' } },
  );

  let tooltip = `${PRODUCT_NAME} — ${running === 0 ? 'no proxies running' : `${plural(running, 'proxy', 'proxies')} running`}`;
  if (failing > 0) tooltip += `, ${plural(failing, 'project', 'projects')} failing`;
  // The tooltip is all some desktops show on hover: today's spend of the projects that spent most.
  if (spending.length > 0) tooltip += ` · ${spending.map((line) => line.label as string).join(', ')}`;
  return { template, tooltip: shorten(tooltip, MAX_TOOLTIP_LENGTH), title: running > 0 ? String(running) : '' };
}
