// The engine's notices as the window shows them: kept until the user dismisses them, latest first,
// bounded, and a notice that repeats (the same kind, project and text) refreshed in place rather
// than listed twice.
import type { EngineNotice } from '../../../shared/api';
import type { Notice } from './service-types';

const MAX_NOTICES = 20;

export class NoticeBoard {
  private notices: EngineNotice[] = [];
  private nextId = 1;

  /** Records a notice; returns whether it is new (not a repeat of one still shown). */
  add(notice: Notice, at = Date.now()): boolean {
    const index = this.notices.findIndex((shown) => shown.kind === notice.kind && shown.project === notice.project && shown.message === notice.message);
    if (index !== -1) {
      const [shown] = this.notices.splice(index, 1);
      this.notices.unshift({ ...(shown as EngineNotice), at });
      return false;
    }
    this.notices.unshift({ id: this.nextId++, kind: notice.kind, ...(notice.project ? { project: notice.project } : {}), message: notice.message, at });
    this.notices.length = Math.min(this.notices.length, MAX_NOTICES);
    return true;
  }

  /** Returns whether a notice of that id was shown. */
  dismiss(id: number): boolean {
    const before = this.notices.length;
    this.notices = this.notices.filter((notice) => notice.id !== id);
    return this.notices.length !== before;
  }

  list(): EngineNotice[] {
    return this.notices.map((notice) => ({ ...notice }));
  }
}
