// A yes/no question on the terminal. Anything but "y"/"yes" is a no; so are end of input and Ctrl-C.
import { createInterface } from 'node:readline/promises';
import type { CliIo } from './command';

export async function confirm(io: CliIo, question: string, signal: AbortSignal): Promise<boolean> {
  const rl = createInterface({ input: io.stdin, output: io.stderr, terminal: false });
  const closed = new Promise<string>((resolve) => rl.once('close', () => resolve('')));
  try {
    const answer = await Promise.race([rl.question(question, { signal }), closed]);
    return /^\s*y(es)?\s*$/i.test(answer);
  } catch {
    return false; // aborted
  } finally {
    rl.close();
  }
}
