// The only URLs the app hands to the OS browser (shell.openExternal runs whatever handler the OS has
// for a URL, so a page-supplied string must never reach it unchecked): https documentation sites of
// the tools the window talks about, nothing with credentials or an unusual port.
const ALLOWED_HOSTS: ReadonlySet<string> = new Set([
  'docs.litellm.ai',
  'github.com',
  'www.jetbrains.com',
  'docs.continue.dev',
  'tryproxy.io',
]);

export function isAllowedExternalUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return parsed.protocol === 'https:' && parsed.username === '' && parsed.password === '' && parsed.port === '' && ALLOWED_HOSTS.has(parsed.hostname);
}
