// Writing results: plain lines or one JSON document on stdout, warnings and errors on stderr,
// each prefixed with the program name so they stand out in scripts' logs.
import type { Writable } from 'node:stream';

export const PROGRAM = 'interceptor';

export function writeLine(stream: Writable, text = ''): void {
  stream.write(`${text}\n`);
}

/** One JSON document, pretty-printed, newline-terminated (the shapes are in docs/cli-json.md). */
export function writeJson(stream: Writable, value: unknown): void {
  stream.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function writeWarning(stderr: Writable, message: string): void {
  writeLine(stderr, `${PROGRAM}: warning: ${message}`);
}

export function writeError(stderr: Writable, message: string): void {
  writeLine(stderr, `${PROGRAM}: ${message}`);
}

/** Display width of a cell; good enough for paths (combining marks and wide CJK are rare there). */
function width(text: string): number {
  return [...text].length;
}

/** A left-aligned text table with a header row; the last column is not padded. */
export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) => Math.max(width(title), ...rows.map((row) => width(row[column] ?? ''))));
  const render = (cells: string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell + ' '.repeat((widths[column] ?? 0) - width(cell))))
      .join('  ');
  return [render(header), ...rows.map(render)].join('\n');
}
