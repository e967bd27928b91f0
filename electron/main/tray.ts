// The one tray icon, kept referenced for the app's lifetime (a collected Tray disappears). Its menu
// is replaced with setContextMenu whenever the model changes; an unchanged model is not re-sent.
import { Menu, nativeImage, Tray } from 'electron';
import { toMenuTemplate } from './menu-template';
import type { TrayAction, TrayMenuModel } from './tray-menu';

export class TrayController {
  private tray: Tray | undefined;
  private shownModel = '';
  private lastModel: TrayMenuModel | undefined;

  constructor(
    private readonly platform: NodeJS.Platform,
    private readonly onAction: (action: TrayAction) => void,
    private readonly onClick: () => void,
  ) {}

  /** Creates the icon; throws with a readable reason when the image or the tray is unavailable. */
  create(iconFile: string): void {
    const image = nativeImage.createFromPath(iconFile);
    if (image.isEmpty()) throw new Error(`the tray image ${iconFile} is missing or unreadable`);
    if (this.platform === 'darwin') image.setTemplateImage(true);
    this.tray = new Tray(image);
    // Windows users expect a left click to open the app; elsewhere the menu is the UI
    // (clicks are unreliable with StatusNotifier hosts on Linux, macOS opens the menu itself).
    if (this.platform === 'win32') this.tray.on('click', () => this.onClick());
  }

  get exists(): boolean {
    return this.tray !== undefined && !this.tray.isDestroyed();
  }

  /** The model last applied (read by the end-to-end tests through the main process). */
  model(): TrayMenuModel | undefined {
    return this.lastModel;
  }

  update(model: TrayMenuModel): void {
    const tray = this.tray;
    if (!tray || tray.isDestroyed()) return;
    const serialized = JSON.stringify(model);
    if (serialized === this.shownModel) return;
    this.shownModel = serialized;
    this.lastModel = model;
    tray.setContextMenu(Menu.buildFromTemplate(toMenuTemplate(model.template, this.onAction)));
    tray.setToolTip(model.tooltip);
    if (this.platform === 'darwin') tray.setTitle(model.title);
  }

  destroy(): void {
    if (this.tray && !this.tray.isDestroyed()) this.tray.destroy();
    this.tray = undefined;
  }
}
