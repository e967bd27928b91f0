// Which window is in front, as the OS tells it: one implementation per platform behind one small
// interface, so the rest of attribution never knows how it was read. Reading may be impossible
// (GNOME on Wayland without an X11 window, macOS without the permission it needs): then the
// provider says what the user can do, once, and attribution falls back to the other rules.
export type FocusReading =
  /** A window is in front: the process that owns it and its title. */
  | { kind: 'window'; pid: number; title: string }
  /**
   * Nothing we can name is in front (the desktop, or on Wayland a window X11 cannot see: then
   * `wayland` is set, since the IDE itself may be such a window).
   */
  | { kind: 'none'; wayland?: boolean }
  /** The foreground window cannot be read here at all; `message` says why and what to do. */
  | { kind: 'unavailable'; message: string };

export interface FocusProvider {
  /** One reading, within `timeoutMs`; never rejects (a failed read is 'none' or 'unavailable'). */
  read(timeoutMs: number): Promise<FocusReading>;
  /** Releases whatever the provider keeps running between reads (a helper process). */
  close(): void;
}

/** The provider for this platform (the recorded one is for tests and is created by them). */
export async function platformFocusProvider(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): Promise<FocusProvider> {
  if (platform === 'darwin') return new (await import('./macos-focus')).MacFocus();
  if (platform === 'win32') return new (await import('./windows-focus')).WindowsFocus();
  return new (await import('./x11-focus')).X11Focus(env);
}
