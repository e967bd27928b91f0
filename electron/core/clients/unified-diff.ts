// The preview of one file's change as a unified diff, like `git diff` shows it.
import { createTwoFilesPatch } from 'diff';

/** '' when nothing changes; `before` null means the file is new. Redact secrets before calling. */
export function unifiedDiff(shown: string, before: string | null, after: string): string {
  if (before === after) return '';
  const patch = createTwoFilesPatch(before === null ? '/dev/null' : `a/${shown}`, `b/${shown}`, before ?? '', after, undefined, undefined, { context: 3 });
  // The library opens with an "=====" rule line that `git diff` does not print.
  return patch.replace(/^=+\n/, '');
}
