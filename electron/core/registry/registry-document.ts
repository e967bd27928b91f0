// The registry file's content in memory, and how it is written: the seed's shape exactly
// ({version, port_range, mappings, next_available}), keys in the seed's order, formatted like
// Python's json.dump(indent=2). Unknown top-level keys (a newer minor writer's additions) are kept.
import { pythonJsonDump } from './python-json';
import type { PortRange } from './port-range';

export const REGISTRY_VERSION = '1.0';

export interface RegistryDocument {
  version: string;
  portRange: PortRange;
  /** Project path → port, in file order (a Map, so no key can collide with Object.prototype). */
  mappings: Map<string, number>;
  nextAvailable: number;
  /** Top-level keys we do not know, in file order, written back untouched. */
  extras: Array<[string, unknown]>;
}

export function emptyDocument(range: PortRange): RegistryDocument {
  return {
    version: REGISTRY_VERSION,
    portRange: { ...range },
    mappings: new Map(),
    nextAvailable: range.start,
    extras: [],
  };
}

export function cloneDocument(doc: RegistryDocument): RegistryDocument {
  return {
    version: doc.version,
    portRange: { ...doc.portRange },
    mappings: new Map(doc.mappings),
    nextAvailable: doc.nextAvailable,
    extras: doc.extras.map(([key, value]) => [key, value]),
  };
}

export function serializeRegistry(doc: RegistryDocument): string {
  const top = new Map<string, unknown>([
    ['version', doc.version],
    ['port_range', new Map([['start', doc.portRange.start], ['end', doc.portRange.end]])],
    ['mappings', doc.mappings],
    ['next_available', doc.nextAvailable],
  ]);
  for (const [key, value] of doc.extras) if (!top.has(key)) top.set(key, value);
  return pythonJsonDump(top);
}

/** The port a project holds, or the project a port belongs to. */
export function projectForPort(doc: RegistryDocument, port: number): string | undefined {
  for (const [project, mapped] of doc.mappings) if (mapped === port) return project;
  return undefined;
}
