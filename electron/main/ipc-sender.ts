// Who may call main over IPC: only the main frame of our own window while it shows our own page.
// An iframe, a page that navigated away, or another webContents is refused before any argument is
// looked at (the idea of VS Code's ValidatedIpcMain). Structural types keep this testable without
// Electron; IpcMainInvokeEvent satisfies them.
import { isOwnPageUrl } from './app-page';

export interface SenderFrameLike {
  readonly url: string;
  /** null for a top-level frame. */
  readonly parent: unknown;
  /** A frame that was replaced or removed may still deliver a message; never trust it. */
  readonly detached?: boolean;
}

export interface InvokeEventLike {
  readonly sender: { readonly id: number };
  /** null when the frame navigated or was destroyed before the message was handled. */
  readonly senderFrame: SenderFrameLike | null;
}

/** The id of our window's webContents, or undefined when no window is open. */
export type TrustedContents = () => number | undefined;

/** null when the sender is our page's main frame; otherwise why it is refused. */
export function senderProblem(event: InvokeEventLike, trustedContentsId: number | undefined): string | null {
  if (trustedContentsId === undefined || event.sender.id !== trustedContentsId) return 'the caller is not the Interceptor window';
  const frame = event.senderFrame;
  if (frame === null || frame === undefined) return 'the calling frame is gone';
  if (frame.detached === true) return 'the calling frame is detached';
  if (frame.parent !== null) return 'the caller is a sub-frame, not the window’s page';
  if (!isOwnPageUrl(frame.url)) return 'the caller is not the Interceptor page';
  return null;
}
