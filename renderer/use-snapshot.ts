// The latest state from the main process. The push channel is the source; one getSnapshot call at
// start covers transports that push only on change (IPC). A pushed snapshot always wins over it.
import { useEffect, useState } from 'preact/hooks';
import type { AppSnapshot } from '../shared/api';
import type { Client } from './client';
import type { ConnectionState } from './http-api';

export interface SnapshotState {
  snapshot: AppSnapshot | null;
  /** Why the first snapshot could not be loaded (cleared by the first push). */
  loadError: string | null;
  connection: ConnectionState;
}

export function useSnapshot(client: Client): SnapshotState {
  const [snapshot, setSnapshot] = useState<AppSnapshot | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [connection, setConnection] = useState<ConnectionState>(client.onConnection ? 'connecting' : 'open');

  useEffect(() => {
    let pushed = false;
    let active = true;
    const stopState = client.api.onState((next) => {
      pushed = true;
      setSnapshot(next);
      setLoadError(null);
    });
    const stopConnection = client.onConnection?.(setConnection);
    client.api
      .getSnapshot()
      .then((result) => {
        if (!active || pushed) return;
        if (result.ok) setSnapshot(result.value);
        else setLoadError(result.message);
      })
      .catch((error: unknown) => {
        if (active && !pushed) setLoadError(error instanceof Error ? error.message : String(error));
      });
    return () => {
      active = false;
      stopState();
      stopConnection?.();
    };
  }, [client]);

  return { snapshot, loadError, connection };
}
