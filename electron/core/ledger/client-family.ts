// The client family of a request, from its User-Agent: enough to tell which tool spends what,
// never the full string (it can carry versions of everything on the machine).
import type { ClientFamily } from './usage-facts';

/** Checked in order: a tool that embeds an SDK names itself before the SDK does. */
const FAMILY_PATTERNS: ReadonlyArray<readonly [ClientFamily, RegExp]> = [
  ['claude-code', /\bclaude-(?:cli|code)\b/i],
  ['junie', /\bjunie\b/i],
  ['continue', /\bcontinue\b/i],
  ['jetbrains', /\b(?:jetbrains|intellij|pycharm|webstorm|goland|rider|clion|phpstorm|rubymine|datagrip|android ?studio|ktor-client)\b/i],
  ['openai-python', /\bopenai\/python\b|\bopenai-python\b/i],
  ['openai-node', /\bopenai\/(?:js|node)\b|\bopenai-node\b/i],
];

/** A client sends the same User-Agent on every request: the last answer is kept. */
let lastAgent: string | undefined;
let lastFamily: ClientFamily = 'other';

export function clientFamily(userAgent: string | undefined): ClientFamily {
  if (userAgent === undefined || userAgent === '') return 'other';
  if (userAgent === lastAgent) return lastFamily;
  let family: ClientFamily = 'other';
  for (const [candidate, pattern] of FAMILY_PATTERNS) {
    if (pattern.test(userAgent)) {
      family = candidate;
      break;
    }
  }
  lastAgent = userAgent;
  lastFamily = family;
  return family;
}
