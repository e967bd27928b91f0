// The API contract over the web dashboard's HTTP transport (see DASHBOARD in shared/api.ts): calls
// are POSTs carrying the page's token in a header, state arrives over one shared EventSource.
// Every failure, including the network's, comes back as an ApiResult so the page has one error path.
import {
  API_METHOD_NAMES,
  API_METHODS,
  DASHBOARD,
  STATE_CHANNEL,
  type ApiFailure,
  type ApiMethodName,
  type ApiResult,
  type AppSnapshot,
  type InterceptorApi,
} from '../shared/api';
import { isPlainObject } from '../shared/plain-json';

/** Codes for failures the page itself detects (the server's codes come from shared/api.ts). */
export const CLIENT_ERROR = {
  network: 'NETWORK',
  badResponse: 'BAD_RESPONSE',
  noToken: 'NO_TOKEN',
} as const;

/**
 * connecting: first attempt; open: receiving state; reconnecting: dropped, EventSource retries on
 * its own; closed: refused for good (the server restarted with a new token, say).
 */
export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed';

export type HttpInterceptorApi = InterceptorApi & {
  /** Tells the listener the state stream's health now and on every change; returns the unsubscribe function. */
  onConnection(listener: (state: ConnectionState) => void): () => void;
};

function failure(code: string, message: string): ApiFailure {
  return { ok: false, code, message };
}

function isApiResult(value: unknown): value is ApiResult<unknown> {
  if (!isPlainObject(value)) return false;
  if (value.ok === true) return Object.hasOwn(value, 'value');
  return value.ok === false && typeof value.code === 'string' && typeof value.message === 'string';
}

/** The token the dashboard wrote into the page it served. */
export function readPageToken(doc: Document = document): string | null {
  const meta = doc.querySelector(`meta[name="${DASHBOARD.tokenMeta}"]`);
  const token = meta?.getAttribute('content') ?? '';
  return token === '' ? null : token;
}

export function createHttpApi(token: string | null): HttpInterceptorApi {
  async function call(method: ApiMethodName, arg: unknown): Promise<ApiResult<unknown>> {
    if (token === null) {
      return failure(CLIENT_ERROR.noToken, 'This page has no access token: open the dashboard with the address Interceptor printed.');
    }
    const headers: Record<string, string> = { [DASHBOARD.tokenHeader]: token };
    const init: RequestInit = { method: 'POST', headers, credentials: 'same-origin', cache: 'no-store' };
    if (arg !== undefined) {
      headers['content-type'] = 'application/json';
      init.body = JSON.stringify(arg);
    }
    let response: Response;
    try {
      response = await fetch(`${DASHBOARD.apiPrefix}${method}`, init);
    } catch {
      return failure(CLIENT_ERROR.network, 'Cannot reach Interceptor. Is it still running?');
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      return failure(CLIENT_ERROR.badResponse, `Interceptor answered ${response.status} ${response.statusText} without a result.`);
    }
    if (isApiResult(body)) return body;
    return failure(CLIENT_ERROR.badResponse, `Interceptor answered ${response.status} with something that is not an API result.`);
  }

  const stateListeners = new Set<(snapshot: AppSnapshot) => void>();
  const connectionListeners = new Set<(state: ConnectionState) => void>();
  let source: EventSource | null = null;
  let connection: ConnectionState = 'connecting';

  const setConnection = (next: ConnectionState) => {
    if (next === connection) return;
    connection = next;
    for (const listener of [...connectionListeners]) listener(next);
  };

  const openStream = () => {
    // The HttpOnly cookie the server set when the page was opened authenticates the stream.
    const stream = new EventSource(DASHBOARD.eventsPath, { withCredentials: true });
    stream.addEventListener('open', () => setConnection('open'));
    stream.addEventListener('error', () => {
      // EventSource retries by itself after a dropped connection; a refused one (401/403) it closes for good.
      setConnection(stream.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting');
    });
    stream.addEventListener(STATE_CHANNEL, (event) => {
      let snapshot: AppSnapshot;
      try {
        snapshot = JSON.parse((event as MessageEvent<string>).data) as AppSnapshot;
      } catch {
        return; // A garbled frame is skipped; the next one carries the whole state again.
      }
      setConnection('open');
      for (const listener of [...stateListeners]) listener(snapshot);
    });
    return stream;
  };

  const closeStreamIfUnused = () => {
    if (stateListeners.size > 0 || connectionListeners.size > 0 || source === null) return;
    source.close();
    source = null;
    connection = 'connecting';
  };

  const methods: Record<string, (arg?: unknown) => Promise<ApiResult<unknown>>> = {};
  for (const name of API_METHOD_NAMES) {
    methods[name] = API_METHODS[name].takesArgument ? (arg?: unknown) => call(name, arg) : () => call(name, undefined);
  }

  return {
    ...(methods as unknown as InterceptorApi),
    onState(listener) {
      stateListeners.add(listener);
      source ??= openStream();
      return () => {
        stateListeners.delete(listener);
        closeStreamIfUnused();
      };
    },
    onConnection(listener) {
      connectionListeners.add(listener);
      listener(connection);
      return () => {
        connectionListeners.delete(listener);
        closeStreamIfUnused();
      };
    },
  };
}
