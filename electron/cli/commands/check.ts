// `interceptor check PORT`: could a new project get this port? Exit 0 if usable, 1 if not.
import type { Command } from '../command';
import { ExitCode } from '../command';
import { writeJson, writeLine, writeWarning } from '../output';
import { portStatus } from '../port-status';
import { registryOptionsFromContext } from '../registry-from-context';
import { parseVerbArgs } from '../verb-args';
import { InterceptorError } from '../../core/errors';
import { formatRange, inRange, openRegistry, parsePortText } from '../../core/registry/index';

export const checkCommand: Command = {
  name: 'check',
  help: `Usage: interceptor check PORT [--json]

Tells whether PORT could be given to a new project: inside the configured range, not reserved
(INTERCEPTOR_RESERVED_PORTS), not mapped to a project, and no program listening on it (IPv4 and
IPv6, loopback and wildcard). Names the project it is mapped to and whether an Interceptor serves it.
Exits 0 when usable, 1 when not.`,

  async run(ctx) {
    const { positionals } = parseVerbArgs('check', ctx.args, {}, { max: 1, what: 'port' });
    const text = positionals[0];
    if (text === undefined) throw new InterceptorError('INVALID_ARGUMENT', 'check needs a PORT (e.g. interceptor check 8888)');
    const port = parsePortText(text);
    if (port === undefined) {
      throw new InterceptorError('INVALID_ARGUMENT', `${JSON.stringify(text)} is not a port number (expected a whole number from 1 to 65535)`);
    }

    const options = registryOptionsFromContext(ctx);
    const view = await openRegistry(options).read();
    const listener = await portStatus(port);
    const inside = inRange(options.range, port);
    const reserved = options.reserved.some((r) => inRange(r, port));
    const mappedTo = view.mappings.find((m) => m.port === port)?.project ?? null;

    const reasons: string[] = [];
    if (!inside) reasons.push(`outside the range ${formatRange(options.range)}`);
    if (reserved) reasons.push('reserved (INTERCEPTOR_RESERVED_PORTS)');
    if (mappedTo !== null) reasons.push(`mapped to ${mappedTo}`);
    if (listener.state === 'served') reasons.push(`served by Interceptor for ${listener.health?.project.path ?? 'another project'}`);
    if (listener.state === 'busy') reasons.push('in use by another program');
    const usable = reasons.length === 0;

    for (const warning of view.warnings) writeWarning(ctx.stderr, warning);
    if (ctx.globals.json) {
      writeJson(ctx.stdout, {
        port,
        usable,
        inRange: inside,
        range: options.range,
        reserved,
        mappedTo,
        listener: listener.state,
        servedBy: listener.health ? { project: listener.health.project.path, version: listener.health.version } : null,
        reasons,
      });
    } else {
      writeLine(ctx.stdout, usable ? `port ${port} is usable` : `port ${port} is not usable: ${reasons.join('; ')}`);
      writeLine(ctx.stdout, `  in range ${formatRange(options.range)}: ${inside ? 'yes' : 'no'}`);
      writeLine(ctx.stdout, `  reserved: ${reserved ? 'yes' : 'no'}`);
      writeLine(ctx.stdout, `  mapped to: ${mappedTo ?? 'no project'}`);
      const listening = { free: 'nothing (free)', busy: 'another program', served: 'an Interceptor' }[listener.state];
      writeLine(ctx.stdout, `  listening: ${listening}`);
    }
    return usable ? ExitCode.ok : ExitCode.negative;
  },
};
