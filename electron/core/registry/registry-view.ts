// What a reader sees: mappings as a sorted list with their standing against the configured range,
// plus everything a front end should tell the user (read-only, warnings, a salvage that happened).
import type { RegistryDocument } from './registry-document';
import { formatRange, inAnyRange, inRange } from './port-range';
import type { PortRange } from './port-range';
import type { SalvageReport } from './registry-parse';

export interface RegistryMapping {
  project: string;
  port: number;
  /** Outside the configured range (kept as is, never reassigned). */
  outOfRange: boolean;
  /** On a port listed in INTERCEPTOR_RESERVED_PORTS (kept as is). */
  reserved: boolean;
}

export interface RegistryView {
  file: string;
  /** False when there is no registry file yet (nothing allocated). */
  exists: boolean;
  version: string;
  /** The range new projects are allocated from (flags/environment/defaults). */
  range: PortRange;
  /** `port_range` as stored in the file (the range its last writer used), or null without a file. */
  fileRange: PortRange | null;
  nextAvailable: number;
  /** Sorted by port. */
  mappings: RegistryMapping[];
  readOnly: boolean;
  readOnlyReason: string | null;
  /** One line each: mappings outside the range or on reserved ports, read-only state. */
  warnings: string[];
  /** Set when this read found the file corrupt and set it aside. */
  salvage: SalvageReport | null;
}

export interface ViewInput {
  file: string;
  exists: boolean;
  doc: RegistryDocument;
  range: PortRange;
  reserved: readonly PortRange[];
  readOnlyReason: string | null;
  salvage: SalvageReport | null;
}

const LISTED = 5;

function listSome(mappings: RegistryMapping[]): string {
  const shown = mappings.slice(0, LISTED).map((m) => `${m.project} (${m.port})`);
  const more = mappings.length > LISTED ? `, and ${mappings.length - LISTED} more` : '';
  return shown.join(', ') + more;
}

export function buildView(input: ViewInput): RegistryView {
  const mappings = [...input.doc.mappings]
    .map(([project, port]) => ({
      project,
      port,
      outOfRange: !inRange(input.range, port),
      reserved: inAnyRange(input.reserved, port),
    }))
    .sort((a, b) => a.port - b.port);

  const warnings: string[] = [];
  if (input.readOnlyReason) warnings.push(input.readOnlyReason);
  const outside = mappings.filter((m) => m.outOfRange);
  if (outside.length > 0) {
    warnings.push(
      `${outside.length} mapping(s) lie outside the configured port range ${formatRange(input.range)} and are kept as they are: ${listSome(outside)}`,
    );
  }
  const reserved = mappings.filter((m) => m.reserved);
  if (reserved.length > 0) {
    warnings.push(`${reserved.length} mapping(s) use reserved ports and are kept as they are: ${listSome(reserved)}`);
  }

  return {
    file: input.file,
    exists: input.exists,
    version: input.doc.version,
    range: { ...input.range },
    fileRange: input.exists ? { ...input.doc.portRange } : null,
    nextAvailable: input.doc.nextAvailable,
    mappings,
    readOnly: input.readOnlyReason !== null,
    readOnlyReason: input.readOnlyReason,
    warnings,
    salvage: input.salvage,
  };
}
