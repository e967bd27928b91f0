// What each tray menu action does. Engine calls go through core's dispatch() like IPC calls do, so
// arguments are validated and failures arrive as one readable line; Electron-only effects (clipboard,
// dialogs, quitting) are passed in, which keeps this testable with fakes.
import type { ApiArgs, ApiMethodName, ApiResult } from '../../shared/api';
import { dispatch } from '../core/api/dispatch';
import type { ApiHandlers } from '../core/api/api-handlers';
import type { TrayAction } from './tray-menu';

export interface TrayActionDeps {
  handlers: ApiHandlers;
  copy: (text: string) => void;
  /** Asks before removing a mapping; true to go ahead. */
  confirmRemove: (name: string, port: number) => Promise<boolean>;
  /** The native folder dialog; null when cancelled. */
  pickFolder: () => Promise<string | null>;
  showWindow: () => void;
  quit: () => void;
  /** Tells the user an action failed. */
  report: (title: string, message: string) => void;
  /** Settings that the menu shows changed (the tray re-reads them). */
  settingsChanged: () => void;
  log: (line: string) => void;
}

const FAILURE_TITLES: Partial<Record<TrayAction['kind'], string>> = {
  'reveal-folder': 'Could not open the folder',
  'start-project': 'Could not start the proxy',
  'stop-project': 'Could not stop the proxy',
  'remove-mapping': 'Could not remove the mapping',
  'open-project-folder': 'Could not open the project folder',
  'set-detection': 'Could not change JetBrains detection',
  'set-start-at-login': 'Could not change start at login',
};

export async function runTrayAction(action: TrayAction, deps: TrayActionDeps): Promise<void> {
  const call = async <M extends ApiMethodName>(method: M, arg: ApiArgs[M]): Promise<ApiResult<unknown>> => {
    const result = await dispatch(deps.handlers, method, arg, {
      onInternalError: (error) => deps.log(`tray ${action.kind} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
    });
    if (!result.ok) deps.report(FAILURE_TITLES[action.kind] ?? 'The action failed', result.message);
    return result;
  };
  switch (action.kind) {
    case 'copy':
      deps.copy(action.text);
      return;
    case 'reveal-folder':
      await call('revealFolder', { project: action.project });
      return;
    case 'start-project':
      await call('startProject', { project: action.project });
      return;
    case 'stop-project':
      await call('stopProject', { project: action.project });
      return;
    case 'remove-mapping':
      if (await deps.confirmRemove(action.name, action.port)) await call('removeMapping', { project: action.project });
      return;
    case 'open-window':
      deps.showWindow();
      return;
    case 'open-project-folder': {
      const folder = await deps.pickFolder();
      if (folder !== null) await call('openProjectFolder', { path: folder });
      return;
    }
    case 'set-detection':
      await call('updateSettings', { jetbrainsDetection: action.enabled });
      deps.settingsChanged();
      return;
    case 'set-start-at-login':
      await call('updateSettings', { startAtLogin: action.enabled });
      deps.settingsChanged();
      return;
    case 'quit':
      deps.quit();
      return;
  }
}
