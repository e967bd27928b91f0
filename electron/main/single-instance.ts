// One app per user session: a second launch hands over to the first (which shows its window) and
// quits. Electron's lock lives in the user-data folder; core's instance file additionally keeps
// `interceptor serve` and the app from serving the same ports at once.
import { app } from 'electron';

/** False when another instance holds the lock: this one must quit without doing anything. */
export function claimSingleInstance(onSecondLaunch: () => void): boolean {
  if (!app.requestSingleInstanceLock()) return false;
  app.on('second-instance', () => onSecondLaunch());
  return true;
}
