// A moment shown as short text, with the exact instant for machines (dateTime) and the full local
// date and time on hover, the same way in every table and card.
import type { ComponentChildren } from 'preact';
import { absoluteTime } from './time-text';

export function Timestamp({ at, children }: { at: number; children: ComponentChildren }) {
  return (
    <time dateTime={new Date(at).toISOString()} title={absoluteTime(at)}>
      {children}
    </time>
  );
}
