// A client file Interceptor must not touch: it cannot be parsed, or its shape is not what the client
// reads (a list where a mapping belongs). The message names the file and what is wrong with it.
export class UnparsableFileError extends Error {
  override readonly name = 'UnparsableFileError';
}

/** "line 3, column 7" for an offset into `text`, for messages a user can act on. */
export function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `line ${line}, column ${column}`;
}
