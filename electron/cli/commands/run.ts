// `interceptor run [PATH]`: the seed's intercepting_contexter.py as a verb — one project's proxy in
// the foreground on its registry port, one line per request, until Ctrl-C or SIGTERM.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { CliContext, Command } from '../command';
import { ExitCode } from '../command';
import { PROGRAM, writeLine, writeWarning } from '../output';
import { registryFromContext, registryOptionsFromContext } from '../registry-from-context';
import { clientTagsWarning } from '../../core/litellm/litellm-version';
import { formatRequestLine } from '../request-line';
import { parseVerbArgs } from '../verb-args';
import { InterceptorError } from '../../core/errors';
import { formatInternalError } from '../../core/internal-errors';
import {
  describeIdentity,
  isLoopbackHost,
  parseTargetUrl,
  PortBusyError,
  startProjectProxy,
  type RequestEntry,
  type RunningProxy,
} from '../../core/proxy';
import { probeTcp } from '../../core/proxy/upstream-reachability';
import { clientTokenPathFor, ENV, normalizeProjectPath, portOverrideFrom } from '../../core/registry/index';
import { ClientTokenSource } from '../../core/access/client-token';
import { rawPathFromEnv } from '../../core/proxy/forwarding-env';
import { describeKeyWithheld, keyWithheldKey } from '../../core/access/credentials';
import { assertSettingsEnvValid, effectiveSettings, plainSettings } from '../../core/settings/effective-settings';
import { openSettings } from '../../core/settings/settings-store';
import { INTERCEPTOR_VERSION } from '../../core/version';
import { ledgerPathFor } from '../../core/ledger/ledger-paths';
import { describeOpenFailure } from '../../core/ledger/open-failure';
import { PriceBook } from '../../core/ledger/price-book';
import { UsageLedger } from '../../core/ledger/usage-ledger';

const GRACE_MS = 5_000;

async function requireFolder(project: string): Promise<void> {
  const info = await stat(project).catch(() => undefined);
  if (!info) throw new InterceptorError('INVALID_ARGUMENT', `no such folder: ${project}`);
  if (!info.isDirectory()) throw new InterceptorError('INVALID_ARGUMENT', `not a folder: ${project} (a project is a folder)`);
}

function jsonLine(ctx: CliContext, value: unknown): void {
  ctx.stdout.write(`${JSON.stringify(value)}\n`);
}

/** How long a finished request waits for its log line (see requestLog). */
const LOG_DELAY_MS = 20;

/**
 * The request log: lines are formatted and written LOG_DELAY_MS after the first of a batch. Not at
 * the moment an exchange ends, when the client's next request is often already on its way (the
 * formatting, the write and the wake-up of whatever reads our output then delay that request), and
 * under load one write carries many lines.
 */
function requestLog(stream: NodeJS.WritableStream, format: (entry: RequestEntry) => string): { add(entry: RequestEntry): void; flush(): void } {
  let pending: RequestEntry[] = [];
  let timer: NodeJS.Timeout | undefined;
  const flush = (): void => {
    clearTimeout(timer);
    timer = undefined;
    if (pending.length === 0) return;
    const entries = pending;
    pending = [];
    let text = '';
    for (const entry of entries) text += `${format(entry)}\n`;
    stream.write(text);
  };
  return {
    add(entry) {
      pending.push(entry);
      timer ??= setTimeout(flush, LOG_DELAY_MS);
    },
    flush,
  };
}

/** The settings in force for a proxy: environment over the settings file over defaults. */
function proxySettings(ctx: CliContext, registryFile: string) {
  const store = openSettings({ dir: path.dirname(registryFile) });
  try {
    const effective = effectiveSettings(store.get(), ctx.env);
    assertSettingsEnvValid(effective);
    // A key the tray app encrypted with the OS keychain cannot be read here: say so rather than run keyless in silence.
    if (store.apiKeyStorage().where === 'unreadable' && effective.values.apiKey.source !== 'env') {
      for (const problem of store.problems()) if (problem.key === 'apiKey') writeWarning(ctx.stderr, problem.message);
    }
    return plainSettings(effective.values);
  } finally {
    store.close();
  }
}

/** What the user can do about a taken port, per front end: the CLI names its own verbs and variables. */
function busyPortHint(error: PortBusyError): string {
  switch (error.busy.kind) {
    case 'same-project':
      return `${error.message} (the tray app, \`interceptor serve\` or another \`interceptor run\`): point the IDE at http://127.0.0.1:${error.port}/v1, or stop that one first`;
    case 'other-project':
      return `${error.message}: give one of them another port (\`interceptor remove\`, then run again), or set ${ENV.port} for this run`;
    case 'other-program':
      return `${error.message}: stop it, or set ${ENV.port} to another port for this run`;
  }
}

export const runCommand: Command = {
  name: 'run',
  help: `Usage: interceptor run [PATH] [--host HOST] [--target URL] [--json]

Serves the project folder PATH (default: the current folder) on its port from the registry,
allocating one the first time (${ENV.port} overrides it and leaves the registry alone). Every
request is forwarded to LiteLLM with the project's identification headers. Prints the base URL to
paste into the IDE, then one line per request (method, path, status, duration, model, tokens and
cost: never bodies or keys). Each request's usage is recorded in the usage ledger (see
interceptor usage; settings: usageLedger). Ctrl-C or SIGTERM stops accepting, lets requests in flight finish (up to ${GRACE_MS / 1000} s)
and exits 0. A busy port exits 4, saying who holds it.

Options:
  --host HOST    listen address (default: INTERCEPTOR_HOST, settings, else 127.0.0.1); anything
                 but loopback lets other machines use your LiteLLM key through this proxy
  --target URL   LiteLLM's URL (default: TARGET_LLM_URL, settings, else http://localhost:4000)
  --json         JSON lines: {"event":"ready",...}, {"event":"request",...}, {"event":"stopped"}

The API key (LITELLM_API_KEY or settings) is sent only when a client sends no Authorization.`,

  async run(ctx) {
    const { values, positionals } = parseVerbArgs(
      'run',
      ctx.args,
      { host: { type: 'string' }, target: { type: 'string' } },
      { max: 1, what: 'path' },
    );
    const json = ctx.globals.json;
    const project = await normalizeProjectPath(positionals[0] ?? '.', ctx.cwd);
    await requireFolder(project);

    const portOverride = portOverrideFrom(ctx.env);
    const registryFile = registryOptionsFromContext(ctx).file;
    const settings = proxySettings(ctx, registryFile);
    if (values.target !== undefined) {
      try {
        parseTargetUrl(values.target);
      } catch (error) {
        throw new InterceptorError('INVALID_ARGUMENT', `--target: ${(error as Error).message}`);
      }
    }
    if (values.host !== undefined && values.host.trim() === '') throw new InterceptorError('INVALID_ARGUMENT', '--host needs an address, got an empty value');
    const target = values.target ?? settings.targetUrl;
    const host = values.host?.trim() ?? settings.bindHost;

    let port: number;
    let portSource: 'env' | 'registry' | 'registry-new';
    if (portOverride !== undefined) {
      port = portOverride;
      portSource = 'env';
    } else {
      const allocation = await registryFromContext(ctx).allocate(project);
      port = allocation.port;
      portSource = allocation.created ? 'registry-new' : 'registry';
    }

    if (!isLoopbackHost(host)) {
      writeWarning(ctx.stderr, `listening on ${host}, not loopback: other machines that can reach it may use LiteLLM (and your key) through this proxy`);
    }

    const tokens = new ClientTokenSource(clientTokenPathFor(registryOptionsFromContext(ctx).file));
    let proxy: RunningProxy;
    try {
      proxy = await startProjectProxy({
        projectPath: project,
        port,
        host,
        target,
        ...(settings.apiKey ? { apiKey: settings.apiKey } : {}),
        clientToken: () => tokens.current(),
        headerProfile: settings.headerProfile,
        allowedOrigins: settings.allowedOrigins,
        bodyLimitBytes: Math.round(settings.bodyLimitMb * 1024 * 1024),
        rawPath: rawPathFromEnv(ctx.env),
        captureUsage: settings.usageLedger,
      });
    } catch (error) {
      if (error instanceof PortBusyError) throw new InterceptorError('PORT_IN_USE', busyPortHint(error), { cause: error });
      throw error;
    }

    const { slug, folder } = describeIdentity(proxy.config().identity);
    const upstream = proxy.config().target;
    const portNote = { env: `from ${ENV.port}`, registry: 'from the registry', 'registry-new': 'newly allocated in the registry' }[portSource];
    if (json) {
      jsonLine(ctx, {
        event: 'ready',
        pid: process.pid,
        version: INTERCEPTOR_VERSION,
        project,
        name: folder,
        slug,
        host: proxy.host,
        port: proxy.port,
        portSource,
        target: upstream.url,
        baseUrl: proxy.url,
        apiKeyConfigured: Boolean(settings.apiKey),
      });
    } else {
      writeLine(ctx.stdout, `Interceptor ${INTERCEPTOR_VERSION} serving ${project}`);
      writeLine(ctx.stdout, `  project   ${folder || project} (${slug})`);
      writeLine(ctx.stdout, `  port      ${proxy.port} (${portNote})`);
      writeLine(ctx.stdout, `  target    ${upstream.url}`);
      writeLine(ctx.stdout, `  api key   ${settings.apiKey ? 'configured: given to your own clients (see interceptor token)' : 'none configured: clients send their own'}`);
      writeLine(ctx.stdout, `  base URL  ${proxy.url}   <- paste into the IDE`);
      writeLine(ctx.stdout, 'Ctrl-C to stop.');
    }

    const requestLines = requestLog(ctx.stdout, json ? (entry) => JSON.stringify({ event: 'request', ...entry }) : formatRequestLine);
    let litellmVersion: string | undefined;
    proxy.on('request', (entry: RequestEntry) => {
      requestLines.add(entry);
      // Told once per version: a LiteLLM that drops our tags files every request under no project.
      if (entry.litellmVersion === undefined || entry.litellmVersion === litellmVersion) return;
      litellmVersion = entry.litellmVersion;
      const warning = clientTagsWarning(litellmVersion);
      if (warning !== undefined) writeWarning(ctx.stderr, warning);
    });
    // The usage ledger (settings: usageLedger) shares its database with the app and other runs.
    let ledger: UsageLedger | undefined;
    if (settings.usageLedger) {
      try {
        ledger = new UsageLedger({
          file: ledgerPathFor(registryFile),
          retentionDays: settings.usageRetentionDays,
          prices: new PriceBook({ target: () => target, apiKey: () => settings.apiKey ?? undefined }),
          onNotice: (message) => writeWarning(ctx.stderr, message),
        });
        const open = ledger;
        proxy.on('request', (entry: RequestEntry) => open.record(entry));
      } catch (error) {
        writeWarning(ctx.stderr, describeOpenFailure(ledgerPathFor(registryFile), error));
      }
    }
    // The log of `run` is its stderr: every internal error, once, with its stack, the key redacted.
    const logInternalError = (error: unknown, where: string) =>
      writeLine(ctx.stderr, `${PROGRAM}: internal error in ${formatInternalError(error, where, settings.apiKey ? [settings.apiKey] : []).text}`);
    proxy.on('error', (error: Error) => logInternalError(error, 'proxy'));
    proxy.on('internal-error', (error: unknown, where: string) => logInternalError(error, `proxy: ${where}`));
    const withheld = new Set<string>();
    proxy.on('key-withheld', (peer) => {
      const key = keyWithheldKey(peer);
      if (withheld.has(key)) return;
      withheld.add(key);
      writeWarning(ctx.stderr, describeKeyWithheld(peer, `port ${proxy.port}`));
    });

    // Not fatal: LiteLLM may start after us; but say so now rather than at the first 502.
    void probeTcp(upstream.hostname, upstream.port).then((reachable) => {
      if (reachable === false && !ctx.stopSignal.aborted) {
        writeWarning(ctx.stderr, `LiteLLM at ${upstream.url} is not reachable right now; requests get 502 until it is (set TARGET_LLM_URL or --target if it runs elsewhere)`);
      }
    });

    await new Promise<void>((resolve) => {
      if (ctx.stopSignal.aborted) resolve();
      else ctx.stopSignal.addEventListener('abort', () => resolve(), { once: true });
    });
    requestLines.flush();
    if (!json) writeLine(ctx.stdout, 'stopping: letting requests in flight finish…');
    await proxy.close({ graceMs: GRACE_MS });
    requestLines.flush();
    await ledger?.close();
    if (json) jsonLine(ctx, { event: 'stopped' });
    else writeLine(ctx.stdout, 'stopped.');
    return ExitCode.ok;
  },
};
