import { describe, expect, it } from 'vitest';
import type { AppSnapshot } from '../../../shared/api';
import { dispatch } from '../../../electron/core/api/dispatch';
import type { ApiHandlers } from '../../../electron/core/api/api-handlers';
import { InterceptorError } from '../../../electron/core/errors';

const SNAPSHOT: AppSnapshot = {
  version: '0.1.0',
  projects: [],
  registry: { file: '/tmp/r.json', range: { start: 8888, end: 9999 }, readOnly: false, warnings: [] },
  detection: { enabled: true, ides: [] },
  notices: [],
};

function unexpected(): never {
  throw new Error('not used in this test');
}

function handlers(overrides: Partial<ApiHandlers>): ApiHandlers {
  return {
    getSnapshot: () => SNAPSHOT,
    listMappings: unexpected,
    removeMapping: unexpected,
    resetRegistry: unexpected,
    startProject: unexpected,
    stopProject: unexpected,
    openProjectFolder: unexpected,
    reassignPort: unexpected,
    revealFolder: unexpected,
    getSettings: unexpected,
    updateSettings: unexpected,
    previewHeaders: unexpected,
    getRecentRequests: unexpected,
    dismissNotice: unexpected,
    getClientToken: unexpected,
    rotateClientToken: unexpected,
    getUsage: unexpected,
    previewClientSetup: unexpected,
    applyClientSetup: unexpected,
    undoClientSetup: unexpected,
    rewriteClientFiles: unexpected,
    previewIdePortHeaders: unexpected,
    getIdePortRequests: unexpected,
    ...overrides,
  };
}

describe('dispatch', () => {
  it('answers a valid call with the handler’s value', async () => {
    expect(await dispatch(handlers({}), 'getSnapshot', undefined)).toEqual({ ok: true, value: SNAPSHOT });
  });

  it('passes the validated argument and awaits async handlers', async () => {
    const seen: unknown[] = [];
    const table = handlers({
      removeMapping: async (arg) => {
        seen.push(arg);
        return { project: '/p', port: 8890 };
      },
    });
    expect(await dispatch(table, 'removeMapping', { port: 8890 })).toEqual({ ok: true, value: { project: '/p', port: 8890 } });
    expect(seen).toEqual([{ port: 8890 }]);
  });

  it('never calls a handler with an invalid argument', async () => {
    let called = false;
    const table = handlers({
      startProject: () => {
        called = true;
        return unexpected();
      },
    });
    const result = await dispatch(table, 'startProject', { project: 42 });
    expect(result).toEqual({ ok: false, code: 'INVALID_ARGUMENT', message: 'startProject: project must be a path (got a number)' });
    expect(called).toBe(false);
  });

  it('refuses unknown methods, including prototype names', async () => {
    for (const method of ['nope', '__proto__', 'constructor', 'toString']) {
      const result = await dispatch(handlers({}), method, undefined);
      expect(result).toMatchObject({ ok: false, code: 'UNKNOWN_METHOD' });
    }
  });

  it('turns a domain error into its code and message', async () => {
    const table = handlers({
      stopProject: () => {
        throw new InterceptorError('NOT_FOUND', 'no mapping for /p');
      },
    });
    expect(await dispatch(table, 'stopProject', { project: '/p' })).toEqual({ ok: false, code: 'NOT_FOUND', message: 'no mapping for /p' });
  });

  it('hides any other error behind INTERNAL and reports it for the log', async () => {
    const logged: unknown[] = [];
    const table = handlers({
      getSettings: async () => {
        throw new TypeError('secret internal detail at /home/user/.config');
      },
    });
    const result = await dispatch(table, 'getSettings', undefined, { onInternalError: (error) => logged.push(error) });
    expect(result).toMatchObject({ ok: false, code: 'INTERNAL' });
    expect(JSON.stringify(result)).not.toContain('secret internal detail');
    expect(JSON.stringify(result)).not.toContain('TypeError');
    expect(logged).toHaveLength(1);
  });

  it('answers INTERNAL when a handler is missing from the table', async () => {
    const table = { ...handlers({}) } as Partial<ApiHandlers>;
    delete table.listMappings;
    expect(await dispatch(table as ApiHandlers, 'listMappings', undefined)).toMatchObject({ ok: false, code: 'INTERNAL' });
  });

  it('turns an undefined value into null so every transport can carry it', async () => {
    const table = handlers({ revealFolder: () => undefined as unknown as null });
    expect(await dispatch(table, 'revealFolder', { project: '/p' })).toEqual({ ok: true, value: null });
  });
});
