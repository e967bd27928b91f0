import { describe, expect, it } from 'vitest';
import { autostartDesktopEntry, DesktopEntryError, escapeValue, execValue, quoteExecArgument } from '../../../electron/main/desktop-entry';

/** Reads an Exec value back the way the spec says a launcher does: string unescape, then unquote. */
function parseExec(value: string): string[] {
  const unescaped = value.replace(/\\(.)/g, (_match, char: string) => (char === 's' ? ' ' : char === 'n' ? '\n' : char === 't' ? '\t' : char === 'r' ? '\r' : char));
  const args: string[] = [];
  let current = '';
  let quoted = false;
  let started = false;
  for (let i = 0; i < unescaped.length; i += 1) {
    const char = unescaped[i] as string;
    if (quoted) {
      if (char === '\\') {
        current += unescaped[i + 1] ?? '';
        i += 1;
      } else if (char === '"') quoted = false;
      else current += char;
    } else if (char === '"') {
      quoted = true;
      started = true;
    } else if (char === ' ') {
      if (started) args.push(current);
      current = '';
      started = false;
    } else {
      current += char;
      started = true;
    }
  }
  if (started) args.push(current);
  return args.map((arg) => arg.replace(/%%/g, '%'));
}

describe('Exec quoting', () => {
  it('leaves plain arguments alone and quotes reserved characters', () => {
    expect(quoteExecArgument('/usr/bin/app')).toBe('/usr/bin/app');
    expect(quoteExecArgument('/opt/LiteLLM Interceptor/litellm-interceptor')).toBe('"/opt/LiteLLM Interceptor/litellm-interceptor"');
    expect(quoteExecArgument('a"b`c$d\\e')).toBe('"a\\"b\\`c\\$d\\\\e"');
    expect(quoteExecArgument('')).toBe('""');
    expect(quoteExecArgument('100%')).toBe('100%%');
  });

  it('applies the string escape after quoting: a literal backslash becomes four', () => {
    expect(execValue(['/x/a\\b'])).toBe('"/x/a\\\\\\\\b"');
  });

  it('round-trips awkward paths through a launcher’s parsing', () => {
    const commands = [
      ['/opt/LiteLLM Interceptor/litellm-interceptor'],
      ['/home/u/Apps/LiteLLM Interceptor-0.1.0.AppImage'],
      ['/usr/lib/electron/electron', '/home/u/src/it\'s "mine" $HOME `x` \\ 50%/app'],
      ['/tmp/a;b|c&d>e<f~g*h?i#j(k)l'],
    ];
    for (const command of commands) expect(parseExec(execValue(command))).toEqual(command);
  });

  it('refuses line breaks and NUL, which would inject keys', () => {
    expect(() => execValue(['/tmp/a\nHidden=true'])).toThrow(DesktopEntryError);
    expect(() => execValue(['/tmp/a\u0000'])).toThrow(DesktopEntryError);
    expect(() => escapeValue('Name\rX')).toThrow(DesktopEntryError);
    expect(() => execValue([])).toThrow(/empty/);
  });
});

describe('autostartDesktopEntry', () => {
  it('writes a complete autostart entry', () => {
    expect(autostartDesktopEntry({ name: 'LiteLLM Interceptor', comment: 'Ports per project', command: ['/opt/LiteLLM Interceptor/litellm-interceptor'] })).toBe(
      [
        '[Desktop Entry]',
        'Type=Application',
        'Version=1.0',
        'Name=LiteLLM Interceptor',
        'Comment=Ports per project',
        'Exec="/opt/LiteLLM Interceptor/litellm-interceptor"',
        'Terminal=false',
        'X-GNOME-Autostart-enabled=true',
        '',
      ].join('\n'),
    );
  });
});
