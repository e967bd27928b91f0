// OS notifications for the engine's Notices. Notifications are kept referenced until they close
// (a collected one loses its click handler on some platforms); a click opens the window.
import { Notification } from 'electron';
import type { Notice } from '../core/service/service-types';
import { noticeContent, NoticeThrottle } from './notices';

export class Notifier {
  private readonly throttle = new NoticeThrottle();
  private readonly open = new Set<Notification>();

  constructor(
    private readonly onClick: () => void,
    private readonly log: (line: string) => void,
  ) {}

  notify(notice: Notice): void {
    const content = noticeContent(notice);
    // Logged whether or not it is shown, so a headless log still tells what went wrong.
    this.log(`${content.title}: ${content.body}`);
    if (!this.throttle.admit(notice)) return;
    this.show(content.title, content.body);
  }

  /** A one-off message (not a Notice), such as why the window opened instead of the tray. */
  show(title: string, body: string): void {
    if (!Notification.isSupported()) return;
    const notification = new Notification({ title, body });
    this.open.add(notification);
    const forget = () => this.open.delete(notification);
    notification.on('click', () => {
      forget();
      this.onClick();
    });
    notification.on('close', forget);
    notification.on('failed', forget);
    notification.show();
  }
}
