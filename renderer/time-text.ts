// Times as people read them: "just now", "5 min ago", and the full local date for a tooltip.
import { useEffect, useState } from 'preact/hooks';

export function relativeTime(at: number, now: number): string {
  const seconds = Math.round((now - at) / 1000);
  if (seconds < 5) return 'just now';
  if (seconds < 60) return `${seconds} s ago`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  return new Date(at).toLocaleDateString();
}

export function absoluteTime(at: number): string {
  return new Date(at).toLocaleString();
}

export function clockTime(at: number): string {
  return new Date(at).toLocaleTimeString();
}

/** The current time, refreshed every `everyMs`, so relative times age without new state. */
export function useNow(everyMs = 15_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
