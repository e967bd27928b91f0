import { describe, expect, it } from 'vitest';
import { InterceptorError } from '../../../electron/core/errors';
import { runTrayAction, type TrayActionDeps } from '../../../electron/main/tray-actions';
import { recordingHandlers } from './fake-handlers';

function deps(overrides: Partial<TrayActionDeps> = {}, answers: Parameters<typeof recordingHandlers>[0] = {}) {
  const { handlers, calls } = recordingHandlers(answers);
  const effects: string[] = [];
  const all: TrayActionDeps = {
    handlers,
    copy: (text) => effects.push(`copy ${text}`),
    confirmRemove: async (name, port) => {
      effects.push(`confirm ${name} ${port}`);
      return true;
    },
    pickFolder: async () => '/picked/folder',
    showWindow: () => effects.push('show window'),
    quit: () => effects.push('quit'),
    report: (title, message) => effects.push(`report ${title}: ${message}`),
    settingsChanged: () => effects.push('settings changed'),
    log: (line) => effects.push(`log ${line}`),
    ...overrides,
  };
  return { all, calls, effects };
}

describe('runTrayAction', () => {
  it('copies, opens the window and quits without touching the engine', async () => {
    const { all, calls, effects } = deps();
    await runTrayAction({ kind: 'copy', text: 'http://127.0.0.1:8888/v1' }, all);
    await runTrayAction({ kind: 'open-window' }, all);
    await runTrayAction({ kind: 'quit' }, all);
    expect(effects).toEqual(['copy http://127.0.0.1:8888/v1', 'show window', 'quit']);
    expect(calls).toEqual([]);
  });

  it('calls the engine for project actions', async () => {
    const { all, calls } = deps();
    await runTrayAction({ kind: 'start-project', project: '/w/a' }, all);
    await runTrayAction({ kind: 'stop-project', project: '/w/a' }, all);
    await runTrayAction({ kind: 'reveal-folder', project: '/w/a' }, all);
    expect(calls).toEqual([
      { method: 'startProject', arg: { project: '/w/a' } },
      { method: 'stopProject', arg: { project: '/w/a' } },
      { method: 'revealFolder', arg: { project: '/w/a' } },
    ]);
  });

  it('removes a mapping only after confirmation', async () => {
    const yes = deps();
    await runTrayAction({ kind: 'remove-mapping', project: '/w/a', name: 'a', port: 8888 }, yes.all);
    expect(yes.effects).toEqual(['confirm a 8888']);
    expect(yes.calls).toEqual([{ method: 'removeMapping', arg: { project: '/w/a' } }]);
    const no = deps({ confirmRemove: async () => false });
    await runTrayAction({ kind: 'remove-mapping', project: '/w/a', name: 'a', port: 8888 }, no.all);
    expect(no.calls).toEqual([]);
  });

  it('opens a picked folder, and does nothing when the dialog is cancelled', async () => {
    const picked = deps();
    await runTrayAction({ kind: 'open-project-folder' }, picked.all);
    expect(picked.calls).toEqual([{ method: 'openProjectFolder', arg: { path: '/picked/folder' } }]);
    const cancelled = deps({ pickFolder: async () => null });
    await runTrayAction({ kind: 'open-project-folder' }, cancelled.all);
    expect(cancelled.calls).toEqual([]);
  });

  it('changes the two settings and tells the tray to re-read them', async () => {
    const { all, calls, effects } = deps();
    await runTrayAction({ kind: 'set-detection', enabled: false }, all);
    await runTrayAction({ kind: 'set-start-at-login', enabled: true }, all);
    expect(calls).toEqual([
      { method: 'updateSettings', arg: { jetbrainsDetection: false } },
      { method: 'updateSettings', arg: { startAtLogin: true } },
    ]);
    expect(effects).toEqual(['settings changed', 'settings changed']);
  });

  it('reports a failure in one line with a title for the action', async () => {
    const { all, effects } = deps(
      {},
      {
        startProject: () => {
          throw new InterceptorError('PORT_IN_USE', 'port 8888 on 127.0.0.1 is already in use by another program');
        },
      },
    );
    await runTrayAction({ kind: 'start-project', project: '/w/a' }, all);
    expect(effects).toEqual(['report Could not start the proxy: port 8888 on 127.0.0.1 is already in use by another program']);
  });

  it('validates what it sends like any other caller (a picked relative path is refused)', async () => {
    const { all, calls, effects } = deps({ pickFolder: async () => 'relative/folder' });
    await runTrayAction({ kind: 'open-project-folder' }, all);
    expect(calls).toEqual([]);
    expect(effects[0]).toMatch(/^report Could not open the project folder: openProjectFolder: path must be an absolute path/);
  });
});
