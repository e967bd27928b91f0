// Turns the tray's plain-data menu into Electron's template: each action becomes a click handler
// that hands the action back to main. Kept apart from tray.ts so it can be tested without Electron.
import type { MenuItemConstructorOptions } from 'electron';
import type { TrayAction, TrayMenuItem } from './tray-menu';

export function toMenuTemplate(items: readonly TrayMenuItem[], run: (action: TrayAction) => void): MenuItemConstructorOptions[] {
  return items.map((item) => {
    const options: MenuItemConstructorOptions = {};
    if (item.type !== undefined) options.type = item.type;
    if (item.label !== undefined) options.label = item.label;
    if (item.enabled !== undefined) options.enabled = item.enabled;
    if (item.checked !== undefined) options.checked = item.checked;
    if (item.submenu !== undefined) options.submenu = toMenuTemplate(item.submenu, run);
    const action = item.action;
    if (action !== undefined) options.click = () => run(action);
    return options;
  });
}
