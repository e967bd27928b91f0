import { describe, expect, it } from 'vitest';
import { buildBridge, type IpcRendererLike } from '../../../electron/preload/bridge';
import { IPC_PICK_FOLDER_CHANNEL } from '../../../electron/preload/bridge-contract';
import { API_METHOD_NAMES, IPC_STATE_CHANNEL, ipcChannel, type AppSnapshot } from '../../../shared/api';
import { snapshot } from './snapshot-fixture';

type Listener = (event: unknown, ...args: unknown[]) => void;

/** Stands in for ipcRenderer: records invokes and lets the test emit pushes. */
class FakeIpcRenderer implements IpcRendererLike {
  readonly invoked: Array<{ channel: string; args: unknown[] }> = [];
  readonly listeners = new Map<string, Listener[]>();
  answer: unknown = { ok: true, value: null };
  async invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    this.invoked.push({ channel, args });
    return this.answer;
  }
  on(channel: string, listener: Listener): void {
    this.listeners.set(channel, [...(this.listeners.get(channel) ?? []), listener]);
  }
  removeListener(channel: string, listener: Listener): void {
    this.listeners.set(channel, (this.listeners.get(channel) ?? []).filter((entry) => entry !== listener));
  }
  emit(channel: string, ...args: unknown[]): void {
    const ipcEvent = { sender: 'the ipcRenderer itself', senderId: 0 };
    for (const listener of this.listeners.get(channel) ?? []) listener(ipcEvent, ...args);
  }
}

describe('buildBridge', () => {
  it('exposes one function per API method plus onState and pickFolder, and nothing else', () => {
    const bridge = buildBridge(new FakeIpcRenderer());
    expect(Object.keys(bridge).sort()).toEqual([...API_METHOD_NAMES, 'onState', 'pickFolder'].sort());
    for (const value of Object.values(bridge)) expect(typeof value).toBe('function');
  });

  it('invokes each method on its own channel with exactly one argument', async () => {
    const ipc = new FakeIpcRenderer();
    ipc.answer = { ok: true, value: 'answer' };
    const bridge = buildBridge(ipc);
    expect(await bridge.startProject({ project: '/work/a' })).toEqual({ ok: true, value: 'answer' });
    await bridge.getSnapshot();
    expect(ipc.invoked).toEqual([
      { channel: ipcChannel('startProject'), args: [{ project: '/work/a' }] },
      { channel: ipcChannel('getSnapshot'), args: [undefined] },
    ]);
  });

  it('delivers state pushes without the IPC event, and unsubscribes exactly that listener', () => {
    const ipc = new FakeIpcRenderer();
    const bridge = buildBridge(ipc);
    const first: unknown[][] = [];
    const second: unknown[][] = [];
    const stopFirst = bridge.onState((...args) => first.push(args));
    bridge.onState((...args) => second.push(args));
    const state: AppSnapshot = snapshot([]);
    ipc.emit(IPC_STATE_CHANNEL, state);
    stopFirst();
    stopFirst();
    ipc.emit(IPC_STATE_CHANNEL, state);
    expect(first).toEqual([[state]]);
    expect(second).toEqual([[state], [state]]);
    expect(ipc.listeners.get(IPC_STATE_CHANNEL)).toHaveLength(1);
  });

  it('refuses a non-function listener', () => {
    const bridge = buildBridge(new FakeIpcRenderer());
    expect(() => bridge.onState('alert(1)' as never)).toThrow(TypeError);
  });

  it('pickFolder resolves to the folder or null, and rejects with main’s refusal', async () => {
    const ipc = new FakeIpcRenderer();
    const bridge = buildBridge(ipc);
    ipc.answer = { ok: true, value: '/home/u/p' };
    expect(await bridge.pickFolder()).toBe('/home/u/p');
    ipc.answer = { ok: true, value: null };
    expect(await bridge.pickFolder()).toBeNull();
    ipc.answer = { ok: false, code: 'FORBIDDEN', message: 'refused: the caller is not the Interceptor page' };
    await expect(bridge.pickFolder()).rejects.toThrow('refused: the caller is not the Interceptor page');
    expect(ipc.invoked.every((call) => call.channel === IPC_PICK_FOLDER_CHANNEL && call.args.length === 0)).toBe(true);
  });
});
