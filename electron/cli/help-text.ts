// `interceptor --help`.
import { INTERCEPTOR_VERSION } from '../core/version';
import type { Verb } from './verbs';

export function mainHelp(verbs: readonly Verb[]): string {
  const width = Math.max(...verbs.map((verb) => verb.name.length));
  const commands = verbs.map((verb) => `  ${verb.name.padEnd(width)}  ${verb.summary}`).join('\n');
  return `interceptor ${INTERCEPTOR_VERSION} - one stable localhost port per project folder (LiteLLM Interceptor)

Usage: interceptor [options] <command> [command options]

Commands:
${commands}

Options (anywhere on the line):
  --registry PATH   registry file (else INTERCEPTOR_REGISTRY, else ~/.config/litellm/port_registry.json)
  --port-min N      lowest port for new projects (else INTERCEPTOR_PORT_MIN, else 8888)
  --port-max N      highest port for new projects (else INTERCEPTOR_PORT_MAX, else 9999)
  --json            machine-readable output on stdout (shapes: docs/cli-json.md)
  --debug           show stack traces with errors
  -h, --help        this help; "interceptor <command> --help" for one command
  -V, --version     print the version

Environment (wins over the settings file; the settings file wins over the defaults):
  TARGET_LLM_URL              your LiteLLM proxy (default http://localhost:4000)
  LITELLM_API_KEY             your LiteLLM key: swapped in for the local client token (interceptor
                              token), or added to a keyless request from your own OS account
  INTERCEPTOR_REGISTRY, INTERCEPTOR_PORT_MIN, INTERCEPTOR_PORT_MAX as above
  INTERCEPTOR_RESERVED_PORTS  ports never handed out, e.g. 8900,8950-8960
  INTERCEPTOR_PORT            the port a proxy started with it uses, instead of the registry's
  INTERCEPTOR_HOST            listen address of the proxies (default 127.0.0.1)
  INTERCEPTOR_DASHBOARD_PORT  port of the dashboard of "serve" (default: a free one)
  INTERCEPTOR_IDE_PORT        the shared port for IDE-wide clients such as AI Assistant (default 8887)
  INTERCEPTOR_TRAY            on / off: force the tray app's icon (Linux)
  INTERCEPTOR_FORWARDING      fast (default) / node-http: every request through Node's HTTP stack

Exit codes:
  0 ok   1 negative answer (no mapping, port not usable, cancelled)   2 usage error (arguments,
  flags, environment)   3 registry or lock error   4 runtime failure`;
}
