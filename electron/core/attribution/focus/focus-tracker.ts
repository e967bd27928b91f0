// Follows the window in front while the IDE port is in use: about twice a second, only while the
// port had traffic in the last few minutes (a desktop otherwise idle spawns nothing). Each reading
// is resolved against the running IDEs — whose window it is, which open project its title names —
// and the last project in front is remembered per IDE, for the `last-focused` rule.
import { homedir as osHomedir } from 'node:os';
import { ideOfChain } from '../ide-of-process';
import { parentChain, type ProcessTable } from '../process-info';
import { projectsNamedByTitle } from '../frame-title';
import type { RunningIde, RunningIdes } from '../running-ides';
import type { FocusProvider, FocusReading } from './focus-provider';

export const POLL_INTERVAL_MS = 500;
export const WAYLAND_WINDOW_ADVICE =
  'a Wayland window was in front, which Interceptor cannot read (only XWayland windows are visible to it): if your IDE runs with the Wayland toolkit ' +
  '(-Dawt.toolkit.name=WLToolkit), IDE-port requests are attributed by the single open project or the project last in front; remove that option to let focus decide';
/** Polling goes on this long after the IDE port's last request. */
export const ACTIVE_FOR_MS = 3 * 60 * 1000;
/** A reading older than this says nothing about now. */
export const READING_FRESH_MS = 1500;
const READ_TIMEOUT_MS = 1000;
/** How long a window's owner is known to belong to an IDE (or not) before its chain is walked again. */
const OWNER_CACHE_MS = 10_000;

/** The window in front, resolved against the running IDEs. */
export interface FrontWindow {
  pid: number;
  title: string;
  /** The config folder of the IDE owning the window, when it is one. */
  ideConfigDir?: string;
  /** The open projects of that IDE the title names (one when clear, several when ambiguous). */
  projects: string[];
  /** Epoch ms of the reading. */
  at: number;
}

export type FocusState =
  | { state: 'idle' }
  | { state: 'following'; front?: FrontWindow }
  | { state: 'unavailable'; message: string };

export interface FocusTrackerOptions {
  provider: FocusProvider;
  ides: RunningIdes;
  processes: ProcessTable;
  /** Called once per distinct reason the foreground window cannot be read (Wayland, a permission...). */
  onUnavailable?: (message: string) => void;
  /** The project in front changed (another project, IDE or program came to the front). */
  onFrontChanged?: () => void;
  pollIntervalMs?: number;
  activeForMs?: number;
  homedir?: string;
}

export class FocusTracker {
  private readonly provider: FocusProvider;
  private readonly pollIntervalMs: number;
  private readonly activeForMs: number;
  private readonly homedir: string;
  private timer: NodeJS.Timeout | undefined;
  private activeUntil = 0;
  private reading: Promise<void> | undefined;
  private lastAttemptAt = 0;
  private front: FrontWindow | undefined;
  private unavailable: string | undefined;
  private readonly told = new Set<string>();
  /** Per IDE config folder: the last project that was in front, and when. */
  private readonly lastInFront = new Map<string, { project: string; at: number }>();
  private readonly owners = new Map<number, { at: number; ideConfigDir: string | undefined }>();
  private closed = false;

  constructor(private readonly options: FocusTrackerOptions) {
    this.provider = options.provider;
    this.pollIntervalMs = options.pollIntervalMs ?? POLL_INTERVAL_MS;
    this.activeForMs = options.activeForMs ?? ACTIVE_FOR_MS;
    this.homedir = options.homedir ?? osHomedir();
  }

  /** The IDE port had a request: keep following (or start) for the next few minutes. */
  touch(now = Date.now()): void {
    if (this.closed) return;
    this.activeUntil = now + this.activeForMs;
    if (this.timer === undefined) {
      this.timer = setInterval(() => this.tick(), this.pollIntervalMs);
      this.timer.unref();
    }
  }

  private tick(): void {
    if (Date.now() > this.activeUntil) {
      clearInterval(this.timer);
      this.timer = undefined;
      // Nothing kept running while idle (the Windows helper process).
      this.provider.close();
      return;
    }
    void this.readNow(READ_TIMEOUT_MS);
  }

  /** Whether no reading was attempted lately, so a decision that needs focus should wait for one. */
  stale(now = Date.now()): boolean {
    return now - this.lastAttemptAt > READING_FRESH_MS;
  }

  /**
   * A reading that reflects now: the one in progress, or a new one when none was attempted lately.
   * For a connection's first request, which may come right after the user switched windows.
   */
  fresh(timeoutMs: number): Promise<void> {
    if (this.reading !== undefined) return this.reading;
    return this.stale() ? this.readNow(timeoutMs) : Promise.resolve();
  }

  /** Takes a reading now (joining one in progress); settles within `timeoutMs`, never rejects. */
  readNow(timeoutMs: number): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.lastAttemptAt = Date.now();
    this.reading ??= this.provider
      .read(timeoutMs)
      .then((reading) => this.resolve(reading))
      .catch(() => undefined)
      .finally(() => {
        this.reading = undefined;
      });
    return this.reading;
  }

  private async resolve(reading: FocusReading): Promise<void> {
    const before = frontKey(this.front);
    await this.apply(reading);
    if (frontKey(this.front) !== before) this.options.onFrontChanged?.();
  }

  private async apply(reading: FocusReading): Promise<void> {
    const at = Date.now();
    if (reading.kind === 'unavailable') {
      this.front = undefined;
      this.unavailable = reading.message;
      this.tell(reading.message);
      return;
    }
    this.unavailable = undefined;
    if (reading.kind === 'none') {
      this.front = undefined;
      if (reading.wayland === true) this.tell(WAYLAND_WINDOW_ADVICE);
      return;
    }
    const ides = await this.options.ides.current();
    const ide = await this.ideOwning(reading.pid, ides, at + READ_TIMEOUT_MS);
    const projects = ide === undefined ? [] : projectsNamedByTitle(reading.title, ide.openProjects, this.homedir).map((project) => project.path);
    const front: FrontWindow = { pid: reading.pid, title: reading.title, projects, at };
    if (ide !== undefined) front.ideConfigDir = ide.configDir;
    this.front = front;
    if (ide !== undefined && projects.length === 1) this.lastInFront.set(ide.configDir, { project: projects[0] as string, at });
  }

  /** The IDE whose process (or an ancestor of it) owns the window. */
  private async ideOwning(pid: number, ides: readonly RunningIde[], deadline: number): Promise<RunningIde | undefined> {
    const cached = this.owners.get(pid);
    if (cached !== undefined && Date.now() - cached.at < OWNER_CACHE_MS) return ides.find((ide) => ide.configDir === cached.ideConfigDir);
    const chain = await parentChain(pid, this.options.processes, deadline, 8);
    const ide = ideOfChain(chain, ides);
    if (this.owners.size > 256) this.owners.clear();
    this.owners.set(pid, { at: Date.now(), ideConfigDir: ide?.configDir });
    return ide;
  }

  private tell(message: string): void {
    if (this.told.has(message)) return;
    this.told.add(message);
    this.options.onUnavailable?.(message);
  }

  /** The window in front at the latest reading, if that reading is fresh. */
  frontNow(now = Date.now()): FrontWindow | undefined {
    const front = this.front;
    return front !== undefined && now - front.at <= READING_FRESH_MS ? front : undefined;
  }

  /** The last project of this IDE that was in front while the port was followed. */
  lastProjectInFront(ide: RunningIde): string | undefined {
    return this.lastInFront.get(ide.configDir)?.project;
  }

  state(): FocusState {
    if (this.unavailable !== undefined) return { state: 'unavailable', message: this.unavailable };
    if (this.timer === undefined) return { state: 'idle' };
    const front = this.frontNow();
    return front === undefined ? { state: 'following' } : { state: 'following', front };
  }

  close(): void {
    this.closed = true;
    clearInterval(this.timer);
    this.timer = undefined;
    this.provider.close();
  }
}

/** What the window shows of a reading: which IDE and which of its projects is in front. */
function frontKey(front: FrontWindow | undefined): string {
  return front === undefined ? '' : `${front.ideConfigDir ?? ''}\0${front.projects.join('\0')}`;
}
