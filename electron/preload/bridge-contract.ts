// What the preload puts on `window.interceptor` beyond the API contract of shared/api.ts, and the IPC
// channel that carries it. main imports the channel from here (preload may not import main).
import type { InterceptorApi } from '../../shared/api';

/** The native folder picker; answered through the same sender-checked wrapper as the API methods. */
export const IPC_PICK_FOLDER_CHANNEL = 'interceptor:pickFolder';

/** The name under which the bridge appears on the page's `window`. */
export const BRIDGE_GLOBAL = 'interceptor';

export interface BridgeExtras {
  /**
   * Shows the OS folder dialog. Resolves to the chosen absolute folder, or null when the user
   * cancels; rejects with the refusal's message when main refuses the call.
   */
  pickFolder(): Promise<string | null>;
}

export type InterceptorBridge = InterceptorApi & BridgeExtras;
