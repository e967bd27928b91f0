// Days as the user lives them: summaries are per local calendar day, keyed 'YYYY-MM-DD'.

/** The day of the last minute asked about: requests come in runs, and a Date per row is not free. */
let cachedMinute = Number.NaN;
let cachedDay = '';

export function localDay(epochMs: number): string {
  const minute = Math.floor(epochMs / 60_000);
  if (minute === cachedMinute) return cachedDay;
  cachedMinute = minute;
  cachedDay = dayOf(epochMs);
  return cachedDay;
}

function dayOf(epochMs: number): string {
  const date = new Date(epochMs);
  const month = String(date.getMonth() + 1).padStart(2, '0');
  const day = String(date.getDate()).padStart(2, '0');
  return `${date.getFullYear()}-${month}-${day}`;
}

/** The local day `days` days before the one holding `epochMs` (0: that day). */
export function daysBefore(epochMs: number, days: number): string {
  const date = new Date(epochMs);
  date.setDate(date.getDate() - days);
  return localDay(date.getTime());
}

/** Midnight (local) starting the day `days` days before the one holding `epochMs`, in epoch ms. */
export function startOfDayBefore(epochMs: number, days: number): number {
  const date = new Date(epochMs);
  date.setHours(0, 0, 0, 0);
  date.setDate(date.getDate() - days);
  return date.getTime();
}
