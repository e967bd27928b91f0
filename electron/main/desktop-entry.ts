// Writing freedesktop.org Desktop Entry values (used for the XDG autostart file). Exec has its own
// quoting rules on top of the general string escapes, and both apply: an argument with a space or a
// quote is double-quoted with `"`, `` ` ``, `$` and `\` backslash-escaped, `%` is doubled (it starts
// field codes), and then every backslash is escaped once more as a string value.

/** Characters that force an Exec argument into quotes (Desktop Entry Specification, "Exec key"). */
const RESERVED = /[\s"'\\><~|&;$*?#()`]/;

export class DesktopEntryError extends Error {}

function assertSingleLine(value: string, what: string): void {
  // A newline would end the key and let the rest be read as new keys.
  if (/[\r\n]/.test(value) || value.includes('\0')) throw new DesktopEntryError(`${what} contains a line break or NUL character, which a .desktop file cannot hold`);
}

/** A general "string"/"localestring" value: escapes backslashes and whitespace control characters. */
export function escapeValue(value: string): string {
  assertSingleLine(value, 'the value');
  return value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t');
}

/** One Exec argument, quoted when it needs to be (before the general string escaping). */
export function quoteExecArgument(argument: string): string {
  assertSingleLine(argument, `the command argument ${JSON.stringify(argument.slice(0, 60))}`);
  if (argument === '') return '""';
  const noFieldCodes = argument.replace(/%/g, '%%');
  if (!RESERVED.test(noFieldCodes)) return noFieldCodes;
  return `"${noFieldCodes.replace(/["`$\\]/g, (char) => `\\${char}`)}"`;
}

/** The Exec value for a command (program and its arguments), escaped for the file. */
export function execValue(command: readonly string[]): string {
  if (command.length === 0) throw new DesktopEntryError('the command is empty');
  return command
    .map(quoteExecArgument)
    .join(' ')
    .replace(/\\/g, '\\\\');
}

export interface AutostartEntry {
  name: string;
  comment: string;
  command: readonly string[];
  /** An icon name or absolute path; omitted when unknown. */
  icon?: string;
}

export function autostartDesktopEntry(entry: AutostartEntry): string {
  const lines = [
    '[Desktop Entry]',
    'Type=Application',
    'Version=1.0',
    `Name=${escapeValue(entry.name)}`,
    `Comment=${escapeValue(entry.comment)}`,
    `Exec=${execValue(entry.command)}`,
    ...(entry.icon ? [`Icon=${escapeValue(entry.icon)}`] : []),
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
  ];
  return `${lines.join('\n')}\n`;
}
