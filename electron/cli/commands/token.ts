// `interceptor token`: the local client token, for clients to send instead of the LiteLLM key.
import type { Command } from '../command';
import { ExitCode } from '../command';
import { writeJson, writeLine } from '../output';
import { registryOptionsFromContext } from '../registry-from-context';
import { parseVerbArgs } from '../verb-args';
import { ensureClientToken, rotateClientToken } from '../../core/access/client-token';
import { clientTokenPathFor } from '../../core/registry/index';

export const tokenCommand: Command = {
  name: 'token',
  help: `Usage: interceptor token [--rotate] [--json]

Prints the local client token (created on first use, kept mode 0600 beside the settings file).
Configure a client with it where it asks for an API key: Interceptor swaps it for the LiteLLM key
it holds (LITELLM_API_KEY or the settings), so the key itself never sits in a client's config. Only
requests that carry the token, or that come from this OS account (Linux), are given the key.

Point a client at the command rather than pasting the token, e.g. Claude Code's apiKeyHelper:
"interceptor token", or an environment variable set from $(interceptor token).

  --rotate   replace the token; clients holding the old one no longer get the key (running
             Interceptors pick up the new one within two seconds)
  --json     {"token": "...", "file": "...", "rotated": false}`,

  async run(ctx) {
    const { values } = parseVerbArgs('token', ctx.args, { rotate: { type: 'boolean' } }, { max: 0, what: '' });
    const file = clientTokenPathFor(registryOptionsFromContext(ctx).file);
    const rotated = values.rotate === true;
    const token = rotated ? rotateClientToken(file) : ensureClientToken(file);
    if (ctx.globals.json) writeJson(ctx.stdout, { token, file, rotated });
    else writeLine(ctx.stdout, token);
    return ExitCode.ok;
  },
};
