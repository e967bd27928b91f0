// Turns the engine's Notices (things the user must act on) into OS notifications, at most one per
// kind and project in a quiet period: a port that stays taken or an upstream that stays down would
// otherwise notify on every retry.
import type { Notice } from '../core/service/service-types';

export interface NotificationContent {
  title: string;
  body: string;
}

const TITLES: Record<Notice['kind'], string> = {
  'port-in-use': 'Port already in use',
  'port-permission': 'Port not allowed',
  'upstream-unreachable': 'LiteLLM is unreachable',
  'registry-read-only': 'Port registry is read-only',
  'settings-invalid': 'Settings problem',
  'key-withheld': 'A request went without your key',
  'usage-ledger': 'Usage recording',
  'litellm-drops-tags': 'LiteLLM ignores project tags',
  'litellm-refused': 'LiteLLM refused a request',
  'client-files-stale': 'Client files name an old port',
  'ide-port': 'The IDE port is not served',
  'focus-unavailable': 'IDE focus cannot be read',
};

/** Notification bodies stay short: OS notification centres cut long text anyway. */
const MAX_BODY_LENGTH = 240;

function projectName(project: string): string {
  const parts = project.split(/[\\/]/).filter((part) => part !== '');
  return parts.at(-1) ?? project;
}

export function noticeContent(notice: Notice): NotificationContent {
  const base = TITLES[notice.kind];
  const title = notice.project ? `${base}: ${projectName(notice.project)}` : base;
  const body = notice.message.length > MAX_BODY_LENGTH ? `${notice.message.slice(0, MAX_BODY_LENGTH - 1)}…` : notice.message;
  return { title, body };
}

export const DEFAULT_QUIET_MS = 10 * 60_000;

/** Remembers what was shown when; answers whether a notice may be shown now. */
export class NoticeThrottle {
  private readonly shownAt = new Map<string, number>();

  constructor(
    private readonly quietMs = DEFAULT_QUIET_MS,
    private readonly now: () => number = Date.now,
  ) {}

  admit(notice: Notice): boolean {
    const key = `${notice.kind}\u0000${notice.project ?? ''}`;
    const time = this.now();
    const last = this.shownAt.get(key);
    if (last !== undefined && time - last < this.quietMs) return false;
    this.shownAt.set(key, time);
    // Old entries only matter within the quiet period; keep the map from growing without bound.
    if (this.shownAt.size > 500) {
      for (const [k, at] of this.shownAt) if (time - at >= this.quietMs) this.shownAt.delete(k);
    }
    return true;
  }
}
