// Sends a snapshot to the window, if there is one that can still receive it. A window can be closed
// or its renderer gone between the state change and the send; sending then would throw.
interface ContentsLike {
  isDestroyed(): boolean;
  isCrashed?(): boolean;
  send(channel: string, ...args: unknown[]): void;
}

interface WindowLike {
  isDestroyed(): boolean;
  readonly webContents: ContentsLike;
}

/** True when sent. */
export function sendState(window: WindowLike | undefined, channel: string, snapshot: unknown): boolean {
  if (!window || window.isDestroyed()) return false;
  const contents = window.webContents;
  if (contents.isDestroyed() || contents.isCrashed?.() === true) return false;
  try {
    contents.send(channel, snapshot);
    return true;
  } catch {
    // Destroyed between the check and the send: the next window gets the state on load.
    return false;
  }
}
