// Calls `fn` at most once per interval however often it is poked: the first poke fires at once,
// later ones within the interval coalesce into one trailing call. For state pushes and request
// batches, which can arrive thousands of times a second under load.
export class Throttle {
  private timer: NodeJS.Timeout | undefined;
  private lastRun = 0;
  private pending = false;

  constructor(
    private readonly intervalMs: number,
    private readonly fn: () => void,
  ) {}

  poke(): void {
    if (this.timer) {
      this.pending = true;
      return;
    }
    const wait = this.lastRun + this.intervalMs - Date.now();
    if (wait <= 0) {
      this.run();
      this.arm(this.intervalMs);
    } else {
      this.pending = true;
      this.arm(wait);
    }
  }

  private arm(ms: number): void {
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.pending) {
        this.pending = false;
        this.run();
        this.arm(this.intervalMs);
      }
    }, ms);
    this.timer.unref?.();
  }

  private run(): void {
    this.lastRun = Date.now();
    this.fn();
  }

  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = false;
  }
}
