// What every component may reach without prop drilling: the transport and the ways to tell the user
// something. Calls go through `useCall`, so no failure is ever swallowed.
import { createContext } from 'preact';
import { useCallback, useContext } from 'preact/hooks';
import { API_ERROR, type ApiResult } from '../shared/api';
import type { Client } from './client';

export interface Notices {
  /** A short confirmation for the polite live region ("Copied", "Stopped app"). */
  announce(message: string): void;
  /** A failure the user must read; stays until dismissed or replaced. */
  showError(message: string): void;
  /** Information worth keeping on screen (where a backup went); stays until dismissed. */
  showNotice(message: string): void;
}

export interface AppContextValue {
  client: Client;
  notices: Notices;
}

export const AppContext = createContext<AppContextValue | null>(null);

export function useApp(): AppContextValue {
  const value = useContext(AppContext);
  if (value === null) throw new Error('useApp outside <AppContext.Provider>');
  return value;
}

/** "Could not stop app: port 8890 is …": the action in the user's words, then the API's message. */
export function failureText(action: string, message: string): string {
  const detail = message.trim();
  return `Could not ${action}: ${detail.length > 0 ? detail : 'no reason given'}`;
}

/**
 * Runs one API call and reports a failure as an error notice. Resolves to the result either way, so
 * callers can branch on `ok`; a transport that throws (it should not) becomes an INTERNAL failure.
 */
export function useCall() {
  const { notices } = useApp();
  return useCallback(
    async <T>(action: string, call: () => Promise<ApiResult<T>>): Promise<ApiResult<T>> => {
      let result: ApiResult<T>;
      try {
        result = await call();
      } catch (error) {
        result = { ok: false, code: API_ERROR.internal, message: error instanceof Error ? error.message : String(error) };
      }
      if (!result.ok) notices.showError(failureText(action, result.message));
      return result;
    },
    [notices],
  );
}
