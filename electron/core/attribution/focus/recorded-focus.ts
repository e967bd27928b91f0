// A focus provider that answers what it is told: for tests at the boundary only (the real providers
// need a desktop), so the rest of attribution — tracker, rules, proxy — runs for real.
import type { FocusProvider, FocusReading } from './focus-provider';

export class RecordedFocus implements FocusProvider {
  private reading: FocusReading;
  /** How many times the tracker read it (it should read only while the IDE port has traffic). */
  reads = 0;

  constructor(initial: FocusReading = { kind: 'none' }) {
    this.reading = initial;
  }

  /** From now on, readings return this. */
  show(reading: FocusReading): void {
    this.reading = reading;
  }

  read(): Promise<FocusReading> {
    this.reads += 1;
    return Promise.resolve(this.reading);
  }

  close(): void {}
}
