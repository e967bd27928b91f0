// Opens the registry the way every verb should: --registry/--port-min/--port-max over the
// environment over defaults, with salvage reports shown on stderr as they happen.
import { openRegistry, registryOptionsFrom } from '../core/registry/index';
import type { PortRegistry, RegistryOptions, SalvageReport } from '../core/registry/index';
import type { CliContext } from './command';
import { writeWarning } from './output';

export function describeSalvage(report: SalvageReport): string {
  const dropped = report.dropped.length;
  const details = report.dropped
    .slice(0, 5)
    .map((d) => `${JSON.stringify(d.key)}: ${d.value} (${d.reason})`)
    .join('; ');
  const more = dropped > 5 ? `; and ${dropped - 5} more` : '';
  return (
    `the registry ${report.file} was damaged (${report.problems.join('; ')}); the original was kept as ${report.backupPath}; ` +
    `recovered ${report.salvaged} mapping(s)` +
    (dropped > 0 ? `, dropped ${dropped}: ${details}${more}` : '')
  );
}

export function registryOptionsFromContext(ctx: CliContext): RegistryOptions {
  const options = registryOptionsFrom(
    ctx.env,
    { registry: ctx.globals.registry, portMin: ctx.globals.portMin, portMax: ctx.globals.portMax },
    ctx.cwd,
  );
  return { ...options, onSalvage: (report) => writeWarning(ctx.stderr, describeSalvage(report)) };
}

export function registryFromContext(ctx: CliContext): PortRegistry {
  return openRegistry(registryOptionsFromContext(ctx));
}
