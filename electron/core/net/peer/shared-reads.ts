// Reads of kernel tables shared by concurrent lookups. When many connections arrive together (an
// agent opening a pool, a benchmark's 32 clients), each lookup would read the same /proc files:
// /proc/net/tcp with thousands of rows costs milliseconds of kernel time per read. A lookup joins
// the read in flight; only when what it looks for is missing from a read that began before it asked
// (its connection may be newer than that read) does it wait for a read that began after.
import { performance } from 'node:perf_hooks';

interface Flight<T> {
  startedAt: number;
  value: Promise<T>;
}

export interface SharedRead<T> {
  value: T;
  /** The read began after the caller's `since`: what it lacks really is not there. */
  fresh: boolean;
}

export class SharedReads<T> {
  private readonly inFlight = new Map<string, Flight<T>>();

  constructor(private readonly read: (key: string) => Promise<T>) {}

  /** The read of `key` in flight, or a new one; `since` (performance.now()) is when the caller asked first. */
  async get(key: string, since: number): Promise<SharedRead<T>> {
    let flight = this.inFlight.get(key);
    if (flight === undefined) {
      const started: Flight<T> = { startedAt: performance.now(), value: this.read(key) };
      flight = started;
      this.inFlight.set(key, started);
      void started.value.then(
        () => this.settled(key, started),
        () => this.settled(key, started),
      );
    }
    return { value: await flight.value, fresh: flight.startedAt >= since };
  }

  /** A read that began before `since` lacked it: one that begins after (joining one already started after). */
  async again(key: string, since: number): Promise<T> {
    const flight = this.inFlight.get(key);
    if (flight !== undefined && flight.startedAt >= since) return flight.value;
    if (flight !== undefined) await flight.value.catch(() => undefined);
    return (await this.get(key, since)).value;
  }

  private settled(key: string, flight: Flight<T>): void {
    if (this.inFlight.get(key) === flight) this.inFlight.delete(key);
  }
}
