// Builds the object the page sees as `window.interceptor`: one named function per API method, the
// state subscription and the folder picker. The page never gets ipcRenderer, a channel name or an
// IPC event; it can only call what the contract names. Taking ipcRenderer as a parameter keeps this
// testable without Electron.
import { API_METHOD_NAMES, IPC_STATE_CHANNEL, ipcChannel, type ApiResult, type AppSnapshot } from '../../shared/api';
import { IPC_PICK_FOLDER_CHANNEL, type InterceptorBridge } from './bridge-contract';

export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export function buildBridge(ipc: IpcRendererLike): InterceptorBridge {
  const bridge: Record<string, unknown> = {};
  for (const method of API_METHOD_NAMES) {
    const channel = ipcChannel(method);
    // Always one argument (undefined for methods without one): main refuses more.
    bridge[method] = (arg?: unknown) => ipc.invoke(channel, arg);
  }
  bridge.onState = (listener: (snapshot: AppSnapshot) => void) => {
    if (typeof listener !== 'function') throw new TypeError('onState needs a listener function');
    const forward = (_event: unknown, snapshot: unknown) => listener(snapshot as AppSnapshot);
    ipc.on(IPC_STATE_CHANNEL, forward);
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      ipc.removeListener(IPC_STATE_CHANNEL, forward);
    };
  };
  bridge.pickFolder = async (): Promise<string | null> => {
    const result = (await ipc.invoke(IPC_PICK_FOLDER_CHANNEL)) as ApiResult<string | null>;
    if (!result.ok) throw new Error(result.message);
    return result.value;
  };
  return bridge as unknown as InterceptorBridge;
}
