import { describe, expect, it } from 'vitest';
import { toMenuTemplate } from '../../../electron/main/menu-template';
import { buildTrayMenu, isServed, menuText, type TrayAction, type TrayMenuItem } from '../../../electron/main/tray-menu';
import { project, snapshot } from './snapshot-fixture';

const linux = { platform: 'linux' as const, startAtLogin: false };

function labels(items: readonly TrayMenuItem[]): string[] {
  return items.map((item) => (item.type === 'separator' ? '---' : (item.label ?? '')));
}

function submenuOf(items: readonly TrayMenuItem[], label: string): TrayMenuItem[] {
  const found = items.find((item) => item.label === label);
  if (!found?.submenu) throw new Error(`no submenu ${label} in ${labels(items).join(' | ')}`);
  return found.submenu;
}

function item(items: readonly TrayMenuItem[], label: string): TrayMenuItem {
  const found = items.find((entry) => entry.label === label);
  if (!found) throw new Error(`no item ${label} in ${labels(items).join(' | ')}`);
  return found;
}

describe('buildTrayMenu', () => {
  it('lists each served project as "name — :port" between the headline and the global items', () => {
    const model = buildTrayMenu(
      snapshot([project({ project: '/work/alpha', port: 8888 }), project({ project: '/work/beta', port: 8901, sources: [{ kind: 'pinned' }] })]),
      linux,
    );
    expect(labels(model.template)).toEqual([
      '2 proxies running',
      '---',
      'alpha — :8888',
      'beta — :8901',
      '---',
      'Open window…',
      'Open project folder…',
      '---',
      'Detect JetBrains projects',
      'Start at login',
      '---',
      'Quit',
    ]);
    expect(model.tooltip).toBe('LiteLLM Interceptor — 2 proxies running');
    expect(model.title).toBe('2');
  });

  it('gives each project a submenu with copy, open, stop and remove actions', () => {
    const model = buildTrayMenu(snapshot([project({ project: '/work/alpha', port: 8888, stats: { requests: 12, errors: 1, bytesIn: 0, bytesOut: 0, lastRequestAt: 1, p50Ms: 1, p95Ms: 2 } })]), linux);
    const submenu = submenuOf(model.template, 'alpha — :8888');
    expect(labels(submenu)).toEqual(['Running · 12 requests, 1 error', '/work/alpha', '---', 'Copy base URL', 'Copy ProxyAI endpoint', 'Open folder', 'Stop', '---', 'Remove mapping…']);
    expect(submenu[0]?.enabled).toBe(false);
    expect(item(submenu, 'Copy base URL').action).toEqual({ kind: 'copy', text: 'http://127.0.0.1:8888/v1' });
    expect(item(submenu, 'Copy ProxyAI endpoint').action).toEqual({ kind: 'copy', text: 'http://127.0.0.1:8888/v1/chat/completions' });
    expect(item(submenu, 'Open folder').action).toEqual({ kind: 'reveal-folder', project: '/work/alpha' });
    expect(item(submenu, 'Stop').action).toEqual({ kind: 'stop-project', project: '/work/alpha' });
    expect(item(submenu, 'Remove mapping…').action).toEqual({ kind: 'remove-mapping', project: '/work/alpha', name: 'alpha', port: 8888 });
  });

  it('uses the configured bind host in copied URLs', () => {
    const model = buildTrayMenu(snapshot([project({ project: '/work/alpha', port: 9000 })]), { ...linux, bindHost: '::' });
    expect(item(submenuOf(model.template, 'alpha — :9000'), 'Copy base URL').action).toEqual({ kind: 'copy', text: 'http://[::1]:9000/v1' });
  });

  it('offers Start for stopped and failed projects and shows the error and its fix', () => {
    const model = buildTrayMenu(
      snapshot([
        project({ project: '/work/down', port: 8890, status: 'stopped' }),
        project({ project: '/work/taken', port: 8891, status: 'error', error: { code: 'PORT_IN_USE', message: 'port 8891 on 127.0.0.1 is already in use', fix: 'Reassign a free port' } }),
      ]),
      linux,
    );
    expect(labels(model.template).slice(2, 4)).toEqual(['down — :8890 (stopped)', 'taken — :8891 (error)']);
    const down = submenuOf(model.template, 'down — :8890 (stopped)');
    expect(item(down, 'Start').action).toEqual({ kind: 'start-project', project: '/work/down' });
    expect(down.some((entry) => entry.label === 'Stop')).toBe(false);
    const taken = submenuOf(model.template, 'taken — :8891 (error)');
    expect(labels(taken).slice(0, 3)).toEqual(['Error: port 8891 on 127.0.0.1 is already in use', '/work/taken', 'Reassign a free port']);
    expect(item(taken, 'Start').action).toEqual({ kind: 'start-project', project: '/work/taken' });
    expect(model.tooltip).toBe('LiteLLM Interceptor — no proxies running, 1 project failing');
    expect(model.title).toBe('');
  });

  it('disables what cannot work: no port, missing folder', () => {
    const model = buildTrayMenu(
      snapshot([project({ project: '/work/new', port: null, status: 'starting' }), project({ project: '/work/gone', port: 8892, status: 'folder-missing', sources: [{ kind: 'pinned' }] })]),
      linux,
    );
    const fresh = submenuOf(model.template, 'new — no port (starting…)');
    for (const label of ['Copy base URL', 'Copy ProxyAI endpoint', 'Remove mapping…']) {
      expect(item(fresh, label)).toEqual({ label, enabled: false });
    }
    expect(item(fresh, 'Stop').action).toEqual({ kind: 'stop-project', project: '/work/new' });
    const gone = submenuOf(model.template, 'gone — :8892 (folder missing)');
    expect(item(gone, 'Open folder')).toEqual({ label: 'Open folder', enabled: false });
    expect(item(gone, 'Start')).toEqual({ label: 'Start', enabled: false });
    expect(item(gone, 'Remove mapping…').action).toEqual({ kind: 'remove-mapping', project: '/work/gone', name: 'gone', port: 8892 });
  });

  it('leaves bare registry mappings to the window and explains the empty menu', () => {
    const model = buildTrayMenu(snapshot([project({ project: '/old/mapping', status: 'stopped', sources: [{ kind: 'cli' }] })]), linux);
    expect(labels(model.template).slice(0, 2)).toEqual(['No open projects', 'Open a project in a JetBrains IDE, or use Open project folder…']);
    expect(model.template.some((entry) => entry.type === 'submenu')).toBe(false);
    expect(model.tooltip).toBe('LiteLLM Interceptor — no proxies running');
  });

  it('counts only running proxies in the tooltip and title', () => {
    const projects = [
      project({ project: '/a', status: 'running' }),
      project({ project: '/b', status: 'running' }),
      project({ project: '/c', status: 'running' }),
      project({ project: '/d', status: 'stopped' }),
      project({ project: '/e', status: 'starting' }),
    ];
    const model = buildTrayMenu(snapshot(projects), { platform: 'darwin', startAtLogin: false });
    expect(model.title).toBe('3');
    expect(model.tooltip).toBe('LiteLLM Interceptor — 3 proxies running');
    expect(buildTrayMenu(snapshot([project({ project: '/a' })]), linux).tooltip).toBe('LiteLLM Interceptor — 1 proxy running');
  });

  it('reflects the two checkboxes and flips them in their actions', () => {
    const on = buildTrayMenu(snapshot([], { detection: { enabled: true, ides: [] } }), { platform: 'linux', startAtLogin: true });
    expect(item(on.template, 'Detect JetBrains projects')).toEqual({ type: 'checkbox', label: 'Detect JetBrains projects', checked: true, action: { kind: 'set-detection', enabled: false } });
    expect(item(on.template, 'Start at login')).toEqual({ type: 'checkbox', label: 'Start at login', checked: true, action: { kind: 'set-start-at-login', enabled: false } });
    const off = buildTrayMenu(snapshot([], { detection: { enabled: false, ides: [] } }), { platform: 'linux', startAtLogin: false });
    expect(item(off.template, 'Detect JetBrains projects')).toMatchObject({ checked: false, action: { kind: 'set-detection', enabled: true } });
    expect(item(off.template, 'Start at login')).toMatchObject({ checked: false, action: { kind: 'set-start-at-login', enabled: true } });
  });

  it('always ends with Quit', () => {
    const model = buildTrayMenu(snapshot([project({ project: '/a' })]), linux);
    expect(model.template.at(-1)).toEqual({ label: 'Quit', action: { kind: 'quit' } });
  });

  it('caps a long project list and says how many more there are', () => {
    const projects = Array.from({ length: 30 }, (_, index) => project({ project: `/work/p${String(index).padStart(2, '0')}`, port: 9000 + index }));
    const model = buildTrayMenu(snapshot(projects), { ...linux, maxProjects: 5 });
    expect(model.template.filter((entry) => entry.type === 'submenu')).toHaveLength(5);
    expect(labels(model.template)).toContain('… and 25 more (Open window… lists all)');
  });

  it('warns about a read-only registry and an unreachable LiteLLM', () => {
    const model = buildTrayMenu(
      snapshot([project({ project: '/a', upstream: { reachable: false } })], {
        registry: { file: '/r.json', range: { start: 8888, end: 9999 }, readOnly: true, readOnlyReason: 'written by version 2.0', warnings: [] },
      }),
      linux,
    );
    expect(labels(model.template).slice(0, 3)).toEqual(['1 proxy running', 'Registry is read-only: written by version 2.0', 'LiteLLM is unreachable: requests fail until it is back']);
  });

  it('makes hostile folder names harmless as labels', () => {
    const name = 'R&D\nproject\u0007';
    const model = buildTrayMenu(snapshot([project({ project: `/work/${name}`, name, port: 8900 })]), { platform: 'win32', startAtLogin: false });
    expect(labels(model.template)).toContain('R&&D project  — :8900');
    const mac = buildTrayMenu(snapshot([project({ project: `/work/${name}`, name, port: 8900 })]), { platform: 'darwin', startAtLogin: false });
    expect(labels(mac.template)).toContain('R&D project  — :8900');
    const long = 'x'.repeat(500);
    const longModel = buildTrayMenu(snapshot([project({ project: `/${long}`, name: long })]), linux);
    const label = longModel.template.find((entry) => entry.type === 'submenu')?.label ?? '';
    expect(label.length).toBeLessThan(70);
    expect(label).toMatch(/^x+… — :8888$/);
  });

  it('keeps the tooltip within Windows’ 127 characters', () => {
    const projects = Array.from({ length: 2000 }, (_, index) => project({ project: `/p${index}`, status: 'error', error: { code: 'X', message: 'x' } }));
    expect(buildTrayMenu(snapshot(projects), linux).tooltip.length).toBeLessThanOrEqual(127);
  });

  it('is deterministic, so an unchanged state is not pushed to the OS again', () => {
    const state = snapshot([project({ project: '/a' }), project({ project: '/b', status: 'stopped' })]);
    expect(JSON.stringify(buildTrayMenu(state, linux))).toBe(JSON.stringify(buildTrayMenu(structuredClone(state), linux)));
  });
});

describe('the IDE port in the tray', () => {
  const idePort = {
    port: 8887,
    url: 'http://127.0.0.1:8887/v1',
    status: 'running' as const,
    stats: { requests: 0, errors: 0, bytesIn: 0, bytesOut: 0, lastRequestAt: null, p50Ms: null, p95Ms: null },
    focus: { state: 'idle' as const },
    ides: [],
  };

  it('shows the one URL for every client before the global items; choosing it copies the URL', () => {
    const model = buildTrayMenu(snapshot([project({ project: '/work/alpha' })], { idePort }), linux);
    const labelsNow = labels(model.template);
    const line = 'One URL for every client: http://127.0.0.1:8887/v1';
    expect(labelsNow.slice(0, 6)).toEqual(['1 proxy running', '---', 'alpha — :8888', '---', line, '---']);
    expect(model.template.find((item) => item.label === line)?.action).toEqual({ kind: 'copy', text: 'http://127.0.0.1:8887/v1' });
  });

  it('shows why it is not served when it failed', () => {
    const failed = { ...idePort, status: 'error' as const, error: { code: 'PORT_IN_USE', message: 'the IDE port 8887 is taken by nginx (pid 12)' } };
    const item = buildTrayMenu(snapshot([], { idePort: failed }), linux).template.find((entry) => entry.label?.startsWith('IDE port:'));
    expect(item).toEqual({ label: 'IDE port: the IDE port 8887 is taken by nginx (pid 12)', enabled: false });
  });
});

describe('isServed', () => {
  it('serves what runs, fails, starts, or is held open by an IDE or a pin; not bare mappings', () => {
    expect(isServed(project({ project: '/a', status: 'stopped', sources: [{ kind: 'cli' }] }))).toBe(false);
    expect(isServed(project({ project: '/a', status: 'folder-missing', sources: [{ kind: 'cli' }] }))).toBe(false);
    expect(isServed(project({ project: '/a', status: 'running', sources: [{ kind: 'cli' }] }))).toBe(true);
    expect(isServed(project({ project: '/a', status: 'error', sources: [] }))).toBe(true);
    expect(isServed(project({ project: '/a', status: 'stopped', sources: [{ kind: 'pinned' }] }))).toBe(true);
  });
});

describe('menuText', () => {
  it('doubles ampersands where they are mnemonics and flattens control characters', () => {
    expect(menuText('a&b', 'linux')).toBe('a&&b');
    expect(menuText('a&b', 'win32')).toBe('a&&b');
    expect(menuText('a&b', 'darwin')).toBe('a&b');
    expect(menuText('a\r\n\tb', 'linux')).toBe('a b');
  });
});

describe('toMenuTemplate', () => {
  it('keeps labels, types and states, and turns actions into click handlers', () => {
    const model = buildTrayMenu(snapshot([project({ project: '/work/alpha', port: 8888 })]), linux);
    const ran: TrayAction[] = [];
    const template = toMenuTemplate(model.template, (action) => ran.push(action));
    expect(template.map((entry) => entry.label ?? entry.type)).toEqual(labels(model.template).map((label) => (label === '---' ? 'separator' : label)));
    const projectItem = template.find((entry) => entry.label === 'alpha — :8888');
    const submenu = projectItem?.submenu;
    if (!Array.isArray(submenu)) throw new Error('expected a submenu array');
    const copy = submenu.find((entry) => entry.label === 'Copy base URL');
    copy?.click?.(undefined as never, undefined, undefined as never);
    template.at(-1)?.click?.(undefined as never, undefined, undefined as never);
    expect(ran).toEqual([{ kind: 'copy', text: 'http://127.0.0.1:8888/v1' }, { kind: 'quit' }]);
    expect(template[0]).toEqual({ label: '1 proxy running', enabled: false });
    expect(template.find((entry) => entry.label === 'Start at login')).toMatchObject({ type: 'checkbox', checked: false });
  });
});

describe("buildTrayMenu: today's spend from the usage ledger", () => {
  const totals = (cost: number, requests: number, extra: Partial<{ estimatedCost: number; unpriced: number }> = {}) => ({
    requests,
    errors: 0,
    promptTokens: 1000,
    completionTokens: 100,
    cachedTokens: 0,
    cost,
    estimatedCost: 0,
    unpriced: 0,
    ...extra,
  });

  it('shows "name — $x today" per project that spent something, biggest first, and in the tooltip', () => {
    const model = buildTrayMenu(
      snapshot([
        project({ project: '/work/alpha', port: 8888, usageToday: totals(0.42, 12) }),
        project({ project: '/work/beta', port: 8901, usageToday: totals(1.5, 3, { estimatedCost: 0.2 }) }),
        project({ project: '/work/gamma', port: 8902 }),
      ]),
      linux,
    );
    expect(labels(model.template).slice(0, 8)).toEqual(['3 proxies running', '---', 'beta — ~$1.50 today', 'alpha — $0.42 today', '---', 'alpha — :8888', 'beta — :8901', 'gamma — :8902']);
    expect(item(model.template, 'alpha — $0.42 today').enabled).toBe(false);
    expect(model.tooltip).toBe('LiteLLM Interceptor — 3 proxies running · beta — ~$1.50 today, alpha — $0.42 today');
    expect(labels(submenuOf(model.template, 'alpha — :8888')).slice(0, 3)).toEqual(['Running · 0 requests', 'Today: $0.42 · 12 requests', '/work/alpha']);
  });

  it('marks a total that misses unpriced requests with "+", and keeps the tooltip within 127 characters', () => {
    const many = Array.from({ length: 12 }, (_, i) => project({ project: `/work/project-with-a-long-name-${i}`, port: 9000 + i, usageToday: totals(0.01 * (i + 1), 1, { unpriced: 1 }) }));
    const model = buildTrayMenu(snapshot(many), linux);
    expect(item(model.template, 'project-with-a-long-name-11 — $0.12+ today').enabled).toBe(false);
    expect(model.tooltip.length).toBeLessThanOrEqual(127);
    expect(model.tooltip.endsWith('…')).toBe(true);
  });

  it('shows no spend lines when nothing was spent today (or recording is off)', () => {
    const model = buildTrayMenu(snapshot([project({ project: '/work/alpha', usageToday: totals(0, 0) })]), linux);
    expect(labels(model.template).slice(0, 3)).toEqual(['1 proxy running', '---', 'alpha — :8888']);
  });
});
