// Navigation and window rules for every webContents the app creates (Electron security checklist):
// the page may not navigate anywhere, open windows, or attach <webview>s; links to allow-listed
// documentation open in the OS browser instead. main wires these to the webContents events.
import { isAllowedExternalUrl } from './external-links';

interface PreventableEvent {
  preventDefault(): void;
}

export interface GuardOptions {
  openExternal: (url: string) => void;
  log: (line: string) => void;
}

export interface NavigationGuard {
  /** For 'will-navigate', 'will-frame-navigate' and 'will-redirect'. */
  onNavigate(event: PreventableEvent, url: string): void;
  /** For 'will-attach-webview'. */
  onAttachWebview(event: PreventableEvent): void;
  /** For setWindowOpenHandler. */
  onWindowOpen(details: { url: string }): { action: 'deny' };
}

/** Describes a URL for a log line without its query (it may carry tokens). */
function withoutQuery(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return '(unparsable URL)';
  }
}

export function createNavigationGuard(options: GuardOptions): NavigationGuard {
  const elsewhere = (url: string, what: string) => {
    if (isAllowedExternalUrl(url)) options.openExternal(url);
    else options.log(`blocked ${what} to ${withoutQuery(url)}`);
  };
  return {
    // The page is a single document: every navigation is a bug or an injected link.
    onNavigate(event, url) {
      event.preventDefault();
      elsewhere(url, 'navigation');
    },
    onAttachWebview(event) {
      event.preventDefault();
      options.log('blocked a <webview>');
    },
    onWindowOpen({ url }) {
      elsewhere(url, 'window.open');
      return { action: 'deny' };
    },
  };
}

/**
 * Permissions the page may use: writing to the clipboard (its copy buttons), from our own origin.
 * Everything else (camera, notifications from the page, geolocation...) is refused.
 */
export function isPermissionAllowed(permission: string, requestingUrl: string, isOwnOrigin: (url: string) => boolean): boolean {
  return permission === 'clipboard-sanitized-write' && isOwnOrigin(requestingUrl);
}
