// The window's preload (sandboxed, bundled to one CommonJS file): exposes the API contract to the
// page through contextBridge and nothing else.
import { contextBridge, ipcRenderer } from 'electron';
import { buildBridge } from './bridge';
import { BRIDGE_GLOBAL } from './bridge-contract';

contextBridge.exposeInMainWorld(BRIDGE_GLOBAL, buildBridge(ipcRenderer));
