// The one place IPC handlers are registered. Every channel goes through handle(): the sender frame is
// checked first, then core's dispatch() validates the argument and runs the handler, and the page
// always gets an ApiResult (errors thrown in ipcMain.handle would reach it as bare text). Only the
// channels of API_METHODS and the folder picker exist; anything else has no handler at all.
import { API_ERROR, API_METHOD_NAMES, ipcChannel, type ApiResult } from '../../shared/api';
import { dispatch } from '../core/api/dispatch';
import type { ApiHandlers } from '../core/api/api-handlers';
import { IPC_PICK_FOLDER_CHANNEL } from '../preload/bridge-contract';
import { senderProblem, type InvokeEventLike, type TrustedContents } from './ipc-sender';

export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

export interface IpcOptions {
  handlers: ApiHandlers;
  /** The webContents id of our window, undefined while it is closed. */
  trustedContents: TrustedContents;
  /** Shows the native folder dialog; null when cancelled. */
  pickFolder: () => Promise<string | null>;
  /** Refused calls and unexpected failures, one line each (never argument values: they may hold secrets). */
  log: (line: string) => void;
}

type Answer = (event: InvokeEventLike, arg: unknown) => Promise<ApiResult<unknown>>;

function refuse(code: string, message: string): ApiResult<never> {
  return { ok: false, code, message };
}

/** Wraps a channel's answer with the checks every channel shares. */
export function guarded(channel: string, options: Pick<IpcOptions, 'trustedContents' | 'log'>, answer: Answer) {
  return async (event: InvokeEventLike, ...args: unknown[]): Promise<ApiResult<unknown>> => {
    const problem = senderProblem(event, options.trustedContents());
    if (problem !== null) {
      options.log(`IPC ${channel} refused: ${problem}`);
      return refuse(API_ERROR.forbidden, `refused: ${problem}`);
    }
    // The preload always sends exactly one argument; more means someone else is calling.
    if (args.length > 1) return refuse(API_ERROR.invalidArgument, `${channel}: takes at most one argument (got ${args.length})`);
    try {
      return await answer(event, args[0]);
    } catch (error) {
      options.log(`IPC ${channel} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return refuse(API_ERROR.internal, 'internal error: the action failed unexpectedly; see the Interceptor log for details');
    }
  };
}

/** The channels registerIpc() handles, in registration order. */
export function ipcChannels(): string[] {
  return [...API_METHOD_NAMES.map(ipcChannel), IPC_PICK_FOLDER_CHANNEL];
}

/** Registers every channel; returns the function that removes them again. */
export function registerIpc(ipc: IpcMainLike, options: IpcOptions): () => void {
  const onInternalError = (error: unknown, method: string) =>
    options.log(`API ${method} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  for (const method of API_METHOD_NAMES) {
    const channel = ipcChannel(method);
    ipc.handle(channel, guarded(channel, options, (_event, arg) => dispatch(options.handlers, method, arg, { onInternalError })));
  }
  ipc.handle(
    IPC_PICK_FOLDER_CHANNEL,
    guarded(IPC_PICK_FOLDER_CHANNEL, options, async (_event, arg) => {
      if (arg !== undefined && arg !== null) return refuse(API_ERROR.invalidArgument, 'pickFolder: takes no argument');
      return { ok: true, value: await options.pickFolder() };
    }),
  );
  return () => {
    for (const channel of ipcChannels()) ipc.removeHandler(channel);
  };
}
