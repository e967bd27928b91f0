import { describe, expect, it } from 'vitest';
import { PAGE_URL } from '../../../electron/main/app-page';
import { ipcChannels, registerIpc, type IpcMainLike } from '../../../electron/main/ipc';
import type { InvokeEventLike, SenderFrameLike } from '../../../electron/main/ipc-sender';
import { IPC_PICK_FOLDER_CHANNEL } from '../../../electron/preload/bridge-contract';
import { API_ERROR, API_METHOD_NAMES, ipcChannel, type ApiResult } from '../../../shared/api';
import { InterceptorError } from '../../../electron/core/errors';
import { recordingHandlers } from './fake-handlers';

type Listener = (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>;

/** Stands in for ipcMain: keeps the registered listeners and invokes them like Electron would. */
class FakeIpcMain implements IpcMainLike {
  readonly listeners = new Map<string, Listener>();
  handle(channel: string, listener: Listener): void {
    if (this.listeners.has(channel)) throw new Error(`second handler for ${channel}`);
    this.listeners.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.listeners.delete(channel);
  }
  /** Like ipcRenderer.invoke: no handler means the call fails in the page, never reaches main code. */
  async invoke(event: InvokeEventLike, channel: string, ...args: unknown[]): Promise<ApiResult<unknown>> {
    const listener = this.listeners.get(channel);
    if (!listener) throw new Error(`No handler registered for '${channel}'`);
    return (await listener(event, ...args)) as ApiResult<unknown>;
  }
}

const WINDOW_ID = 7;

function frame(overrides: Partial<SenderFrameLike> = {}): SenderFrameLike {
  return { url: PAGE_URL, parent: null, detached: false, ...overrides };
}

function event(overrides: { id?: number; frame?: SenderFrameLike | null } = {}): InvokeEventLike {
  return { sender: { id: overrides.id ?? WINDOW_ID }, senderFrame: overrides.frame === undefined ? frame() : overrides.frame };
}

function setup(options: { pickFolder?: () => Promise<string | null>; answers?: Parameters<typeof recordingHandlers>[0]; windowId?: number | undefined } = {}) {
  const ipc = new FakeIpcMain();
  const { handlers, calls } = recordingHandlers(options.answers);
  const logs: string[] = [];
  const windowId = 'windowId' in options ? options.windowId : WINDOW_ID;
  const unregister = registerIpc(ipc, {
    handlers,
    trustedContents: () => windowId,
    pickFolder: options.pickFolder ?? (async () => '/chosen/folder'),
    log: (line) => logs.push(line),
  });
  return { ipc, calls, logs, unregister };
}

describe('registerIpc: channels', () => {
  it('registers exactly one channel per API method plus the folder picker', () => {
    const { ipc } = setup();
    expect([...ipc.listeners.keys()].sort()).toEqual([...API_METHOD_NAMES.map(ipcChannel), IPC_PICK_FOLDER_CHANNEL].sort());
    expect(ipcChannels()).toHaveLength(API_METHOD_NAMES.length + 1);
  });

  it('has no handler for unknown channels, so such calls never reach main code', async () => {
    const { ipc, calls } = setup();
    for (const channel of ['interceptor:eval', 'interceptor:__proto__', 'interceptor:constructor', 'getSnapshot', 'interceptor:state', '']) {
      await expect(ipc.invoke(event(), channel)).rejects.toThrow(/No handler registered/);
    }
    expect(calls).toEqual([]);
  });

  it('removes every channel it registered', () => {
    const { ipc, unregister } = setup();
    unregister();
    expect(ipc.listeners.size).toBe(0);
  });
});

describe('registerIpc: calls from our page', () => {
  it('answers a valid call with the handler’s value', async () => {
    const { ipc, calls } = setup({ answers: { startProject: (arg) => ({ started: arg }) } });
    expect(await ipc.invoke(event(), ipcChannel('startProject'), { project: '/work/alpha' })).toEqual({ ok: true, value: { started: { project: '/work/alpha' } } });
    expect(calls).toEqual([{ method: 'startProject', arg: { project: '/work/alpha' } }]);
  });

  it('accepts the page’s index URL with a fragment or query', async () => {
    const { ipc } = setup();
    for (const url of [`${PAGE_URL}#/settings`, `${PAGE_URL}?tab=1`, 'app://interceptor/']) {
      expect(await ipc.invoke(event({ frame: frame({ url }) }), ipcChannel('listMappings'))).toMatchObject({ ok: true });
    }
  });

  it('passes domain errors through with their code, and hides unexpected ones', async () => {
    const { ipc, logs } = setup({
      answers: {
        removeMapping: () => {
          throw new InterceptorError('NOT_FOUND', 'no mapping for /x');
        },
        resetRegistry: () => {
          throw new TypeError('secret internals at line 12');
        },
      },
    });
    expect(await ipc.invoke(event(), ipcChannel('removeMapping'), { project: '/x' })).toEqual({ ok: false, code: 'NOT_FOUND', message: 'no mapping for /x' });
    const internal = await ipc.invoke(event(), ipcChannel('resetRegistry'));
    expect(internal).toMatchObject({ ok: false, code: API_ERROR.internal });
    expect(JSON.stringify(internal)).not.toContain('secret internals');
    expect(logs.join('\n')).toContain('secret internals');
  });
});

describe('registerIpc: argument validation', () => {
  const junk: Array<[string, unknown]> = [
    ['a string', 'rm -rf /'],
    ['a number', 42],
    ['an array', ['/work/alpha']],
    ['a boolean', true],
    ['an object without project', { path: '/work/alpha' }],
    ['a number project', { project: 8888 }],
    ['a relative project', { project: 'work/alpha' }],
    ['a project with a NUL', { project: '/work/al\u0000pha' }],
    ['extra fields', { project: '/work/alpha', admin: true }],
    ['a prototype key', JSON.parse('{"project":"/work/alpha","__proto__":{"x":1}}')],
    ['a nested object', { project: { toString: '/work/alpha' } }],
  ];

  for (const [what, arg] of junk) {
    it(`refuses ${what} for startProject without calling the handler`, async () => {
      const { ipc, calls } = setup();
      const result = await ipc.invoke(event(), ipcChannel('startProject'), arg);
      expect(result).toMatchObject({ ok: false, code: API_ERROR.invalidArgument });
      expect(result.ok ? '' : result.message).toMatch(/^startProject: /);
      expect(calls).toEqual([]);
    });
  }

  it('refuses wrong types for every method that takes an argument, and arguments for those that take none', async () => {
    const { ipc, calls } = setup();
    for (const method of API_METHOD_NAMES) {
      const result = await ipc.invoke(event(), ipcChannel(method), 12345);
      expect(result, method).toMatchObject({ ok: false, code: API_ERROR.invalidArgument });
    }
    expect(calls).toEqual([]);
  });

  it('refuses huge strings with a short message', async () => {
    const { ipc, calls } = setup();
    const huge = `/${'a'.repeat(8 * 1024 * 1024)}`;
    for (const [method, arg] of [
      ['startProject', { project: huge }],
      ['openProjectFolder', { path: huge }],
      ['updateSettings', { targetUrl: `http://x/${huge}` }],
      ['updateSettings', { apiKey: huge }],
      ['removeMapping', { project: huge }],
    ] as const) {
      const result = await ipc.invoke(event(), ipcChannel(method), arg);
      expect(result, method).toMatchObject({ ok: false, code: API_ERROR.invalidArgument });
      expect(result.ok ? '' : result.message.length).toBeLessThan(500);
    }
    expect(calls).toEqual([]);
  });

  it('refuses more than one argument (the preload always sends one)', async () => {
    const { ipc, calls } = setup();
    const result = await ipc.invoke(event(), ipcChannel('startProject'), { project: '/a' }, { project: '/b' });
    expect(result).toEqual({ ok: false, code: API_ERROR.invalidArgument, message: 'interceptor:startProject: takes at most one argument (got 2)' });
    expect(calls).toEqual([]);
  });

  it('accepts "no argument" as undefined, null or {}', async () => {
    const { ipc } = setup();
    for (const arg of [undefined, null, {}]) expect(await ipc.invoke(event(), ipcChannel('getSnapshot'), arg)).toMatchObject({ ok: true });
  });
});

describe('registerIpc: sender-frame check', () => {
  const foreign: Array<[string, InvokeEventLike]> = [
    ['another webContents', event({ id: WINDOW_ID + 1 })],
    ['a sub-frame of our page', event({ frame: frame({ parent: {} }) })],
    ['a detached frame', event({ frame: frame({ detached: true }) })],
    ['a frame that is gone', event({ frame: null })],
    ['a remote page', event({ frame: frame({ url: 'https://evil.example/index.html' }) })],
    ['a file:// page', event({ frame: frame({ url: 'file:///work/main/dist/renderer/index.html' }) })],
    ['another file of our origin', event({ frame: frame({ url: 'app://interceptor/other.html' }) })],
    ['a look-alike host', event({ frame: frame({ url: 'app://interceptor.evil/index.html' }) })],
    ['credentials in the URL', event({ frame: frame({ url: 'app://user:pw@interceptor/index.html' }) })],
    ['an unparsable URL', event({ frame: frame({ url: 'not a url' }) })],
    ['about:blank', event({ frame: frame({ url: 'about:blank' }) })],
  ];

  for (const [what, senderEvent] of foreign) {
    it(`refuses ${what} before looking at the argument`, async () => {
      const { ipc, calls, logs } = setup();
      const result = await ipc.invoke(senderEvent, ipcChannel('resetRegistry'));
      expect(result).toMatchObject({ ok: false, code: API_ERROR.forbidden });
      expect(calls).toEqual([]);
      expect(logs).toHaveLength(1);
      const picked = await ipc.invoke(senderEvent, IPC_PICK_FOLDER_CHANNEL);
      expect(picked).toMatchObject({ ok: false, code: API_ERROR.forbidden });
    });
  }

  it('refuses everyone while no window is open', async () => {
    const { ipc, calls } = setup({ windowId: undefined });
    expect(await ipc.invoke(event(), ipcChannel('getSnapshot'))).toMatchObject({ ok: false, code: API_ERROR.forbidden });
    expect(calls).toEqual([]);
  });
});

describe('registerIpc: pickFolder', () => {
  it('answers the chosen folder, or null when cancelled', async () => {
    expect(await setup({ pickFolder: async () => '/home/u/project' }).ipc.invoke(event(), IPC_PICK_FOLDER_CHANNEL)).toEqual({ ok: true, value: '/home/u/project' });
    expect(await setup({ pickFolder: async () => null }).ipc.invoke(event(), IPC_PICK_FOLDER_CHANNEL)).toEqual({ ok: true, value: null });
  });

  it('takes no argument', async () => {
    let asked = 0;
    const { ipc } = setup({
      pickFolder: async () => {
        asked += 1;
        return '/x';
      },
    });
    expect(await ipc.invoke(event(), IPC_PICK_FOLDER_CHANNEL, { defaultPath: '/etc' })).toMatchObject({ ok: false, code: API_ERROR.invalidArgument });
    expect(asked).toBe(0);
  });

  it('turns a failing dialog into an INTERNAL answer', async () => {
    const { ipc, logs } = setup({
      pickFolder: async () => {
        throw new Error('dialog exploded');
      },
    });
    expect(await ipc.invoke(event(), IPC_PICK_FOLDER_CHANNEL)).toMatchObject({ ok: false, code: API_ERROR.internal });
    expect(logs.join('\n')).toContain('dialog exploded');
  });
});
