// The `state` push channel as Server-Sent Events. The current snapshot goes first, then one frame
// per change, at most one per minInterval (the newest snapshot wins; intermediate ones are skipped),
// and a comment line when idle so proxies and browsers keep the connection open.
// The stream is pull-based (highWaterMark 0): a frame is only produced when the socket has room, so
// a slow or stalled reader holds one pending snapshot, never a growing queue.
import type { AppSnapshot } from '../../../shared/api';
import { STATE_CHANNEL } from '../../../shared/api';

export interface StateStreamOptions {
  getSnapshot: () => AppSnapshot | Promise<AppSnapshot>;
  subscribe: (listener: (snapshot: AppSnapshot) => void) => () => void;
  /** Minimum time between two state frames (100 ms: about 10 per second). */
  minIntervalMs?: number;
  /** Idle time after which a keep-alive comment is sent. */
  keepAliveMs?: number;
  /** Reconnection delay suggested to EventSource. */
  retryMs?: number;
  onError?: (error: unknown) => void;
  /** Called once when the stream ends, whoever ended it. */
  onEnd?: () => void;
}

export interface StateStream {
  stream: ReadableStream<Uint8Array>;
  /** Ends the stream (dashboard shutting down). */
  close(): void;
}

function stateFrame(snapshot: AppSnapshot): string {
  // JSON.stringify escapes line breaks, so the payload is one `data:` line.
  return `event: ${STATE_CHANNEL}\ndata: ${JSON.stringify(snapshot)}\n\n`;
}

export function createStateStream(options: StateStreamOptions): StateStream {
  const minIntervalMs = options.minIntervalMs ?? 100;
  const keepAliveMs = options.keepAliveMs ?? 15_000;
  const encoder = new TextEncoder();
  let pending: string | null = null;
  let lastStateAt = Number.NEGATIVE_INFINITY;
  let lastWriteAt = Date.now();
  let closed = false;
  let controllerClosed = false;
  let wake: (() => void) | undefined;
  let unsubscribe: (() => void) | undefined;
  let controllerRef: ReadableStreamDefaultController<Uint8Array> | undefined;

  const notify = () => {
    const resume = wake;
    wake = undefined;
    resume?.();
  };
  const finish = () => {
    if (!closed) options.onEnd?.();
    closed = true;
    unsubscribe?.();
    unsubscribe = undefined;
    notify();
  };
  const closeController = () => {
    if (controllerClosed || !controllerRef) return;
    controllerClosed = true;
    try {
      controllerRef.close();
    } catch {
      // Already closed or errored by the reader side.
    }
  };

  const stream = new ReadableStream<Uint8Array>(
    {
      async start(controller) {
        controllerRef = controller;
        // Subscribe before reading the snapshot, so a change in between is not lost.
        unsubscribe = options.subscribe((snapshot) => {
          if (closed) return;
          pending = stateFrame(snapshot);
          notify();
        });
        try {
          const initial = await options.getSnapshot();
          // A change that arrived while we waited is newer than `initial`: keep it.
          pending ??= stateFrame(initial);
        } catch (error) {
          options.onError?.(error);
          finish();
          controller.error(error);
          return;
        }
        if (closed) return;
        controller.enqueue(encoder.encode(`retry: ${options.retryMs ?? 2000}\n\n`));
      },
      async pull(controller) {
        for (;;) {
          if (closed) {
            closeController();
            return;
          }
          const now = Date.now();
          if (pending !== null && now - lastStateAt >= minIntervalMs) {
            controller.enqueue(encoder.encode(pending));
            pending = null;
            lastStateAt = now;
            lastWriteAt = now;
            return;
          }
          if (now - lastWriteAt >= keepAliveMs) {
            controller.enqueue(encoder.encode(': keep-alive\n\n'));
            lastWriteAt = now;
            return;
          }
          const waitMs = pending !== null ? minIntervalMs - (now - lastStateAt) : keepAliveMs - (now - lastWriteAt);
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, Math.max(1, waitMs));
            wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
        }
      },
      cancel() {
        // The client went away.
        controllerClosed = true;
        finish();
      },
    },
    { highWaterMark: 0 },
  );

  return {
    stream,
    close() {
      const waiting = wake !== undefined;
      finish();
      // A pull in progress closes the controller itself; otherwise nobody would.
      if (!waiting) closeController();
    },
  };
}
