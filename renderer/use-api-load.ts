// Loads one API value for a part of the page and reloads it when `deps` change. The newest call
// wins (an older answer arriving late is dropped); the previous value stays shown while reloading.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { API_ERROR, type ApiResult } from '../shared/api';

export interface Loaded<T> {
  value: T | undefined;
  /** The failure's message, in the API's words. */
  error: string | null;
  loading: boolean;
  reload(): void;
}

export function useApiLoad<T>(load: () => Promise<ApiResult<T>>, deps: readonly unknown[]): Loaded<T> {
  const [value, setValue] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const latest = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  const run = useCallback(async () => {
    const id = ++latest.current;
    setLoading(true);
    let result: ApiResult<T>;
    try {
      result = await loadRef.current();
    } catch (thrown) {
      result = { ok: false, code: API_ERROR.internal, message: thrown instanceof Error ? thrown.message : String(thrown) };
    }
    if (id !== latest.current) return;
    setLoading(false);
    if (result.ok) {
      setValue(result.value);
      setError(null);
    } else {
      setError(result.message);
    }
  }, []);

  useEffect(() => {
    void run();
    // The caller names what the load depends on, like a useEffect dependency list.
  }, deps);
  useEffect(
    () => () => {
      latest.current += 1;
    },
    [],
  );

  return { value, error, loading, reload: () => void run() };
}
