// Which transport the page talks through, picked once at start: the Electron preload's object when
// the page runs in the app's window, the HTTP dashboard otherwise. Components see only `Client`.
import { API_METHOD_NAMES, type InterceptorApi } from '../shared/api';
import { createHttpApi, readPageToken, type ConnectionState } from './http-api';

/** What the Electron preload may add beside the API contract. */
interface PreloadExtras {
  /** The native folder dialog; null when the user cancels. */
  pickFolder?: () => Promise<string | null>;
}

declare global {
  interface Window {
    interceptor?: InterceptorApi & PreloadExtras;
  }
}

export interface Client {
  api: InterceptorApi;
  transport: 'electron' | 'http';
  /** Present when the host can show a native folder picker. */
  pickFolder?: () => Promise<string | null>;
  /** Present when the state stream can drop (HTTP); IPC state never disconnects. */
  onConnection?: (listener: (state: ConnectionState) => void) => () => void;
}

function isPreloadApi(value: unknown): value is InterceptorApi & PreloadExtras {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return typeof candidate.onState === 'function' && API_METHOD_NAMES.every((name) => typeof candidate[name] === 'function');
}

export function pickClient(win: Window = window): Client {
  const preload = win.interceptor;
  if (isPreloadApi(preload)) {
    const pickFolder = preload.pickFolder;
    return {
      api: preload,
      transport: 'electron',
      ...(typeof pickFolder === 'function' ? { pickFolder: () => pickFolder() } : {}),
    };
  }
  const api = createHttpApi(readPageToken(win.document));
  return { api, transport: 'http', onConnection: (listener) => api.onConnection(listener) };
}
