// Reads registry bytes into a document, deciding what kind of file it is:
//   empty   — missing content: start afresh;
//   valid   — the seed's shape, version "1.0";
//   newer   — a version we do not understand yet: show what we can, never write;
//   corrupt — anything else: keep every well-formed mapping (absolute path → integer port 1–65535,
//             first one wins when two claim a port) and say what was dropped and why.
import path from 'node:path';
import { REGISTRY_VERSION, emptyDocument } from './registry-document';
import type { RegistryDocument } from './registry-document';
import { isPort } from './port-range';
import type { PortRange } from './port-range';
import { scanKeyNumberPairs } from './salvage-scan';

export interface DroppedMapping {
  key: string;
  /** The value as JSON text, e.g. `"8888"` or `70000`. */
  value: string;
  reason: string;
}

export interface SalvageReport {
  /** The registry file that was found corrupt. */
  file: string;
  /** Where its original bytes were set aside. */
  backupPath: string;
  /** What was wrong with the file, one line each. */
  problems: string[];
  /** How many mappings were recovered and written back. */
  salvaged: number;
  dropped: DroppedMapping[];
}

export type ParsedRegistry =
  | { kind: 'empty' }
  | { kind: 'valid'; doc: RegistryDocument }
  | { kind: 'newer'; doc: RegistryDocument; version: string }
  | { kind: 'corrupt'; doc: RegistryDocument; problems: string[]; dropped: DroppedMapping[] };

const KNOWN_KEYS = new Set(['version', 'port_range', 'mappings', 'next_available']);

/** Project keys are absolute paths, POSIX or Windows, with no NUL. */
export function isProjectKey(key: string): boolean {
  return key.length > 0 && !key.includes('\0') && (path.posix.isAbsolute(key) || path.win32.isAbsolute(key));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** "1.0" → [1, 0]; undefined when the text is not a dotted number. */
function versionParts(version: string): number[] | undefined {
  return /^[0-9]+(\.[0-9]+)*$/.test(version) ? version.split('.').map(Number) : undefined;
}

function compareVersions(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0);
    if (diff !== 0) return Math.sign(diff);
  }
  return 0;
}

const SUPPORTED = versionParts(REGISTRY_VERSION) ?? [1, 0];

function isNextAvailable(value: unknown): value is number {
  // The seed may leave it one past the top of the range (end + 1), so 65536 is a legal value.
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 65536;
}

function readRange(value: unknown): PortRange | undefined {
  if (!isPlainObject(value)) return undefined;
  const { start, end } = value;
  return isPort(start) && isPort(end) && start <= end ? { start, end } : undefined;
}

/** Adds mappings one by one with the salvage rules; returns what had to be dropped. */
function collectMappings(entries: Iterable<[string, unknown, string]>, into: Map<string, number>): DroppedMapping[] {
  const dropped: DroppedMapping[] = [];
  const owners = new Map<number, string>();
  for (const [key, value, valueText] of entries) {
    if (!isProjectKey(key)) {
      dropped.push({ key, value: valueText, reason: 'the project is not an absolute path' });
    } else if (!isPort(value)) {
      dropped.push({ key, value: valueText, reason: 'the port is not a whole number from 1 to 65535' });
    } else if (into.has(key)) {
      dropped.push({ key, value: valueText, reason: `the project appears twice; kept port ${into.get(key)}` });
    } else if (owners.has(value)) {
      dropped.push({ key, value: valueText, reason: `port ${value} is already mapped to ${owners.get(value)}` });
    } else {
      into.set(key, value);
      owners.set(value, key);
    }
  }
  return dropped;
}

function jsonText(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** A document from a parsed object, noting every deviation from the seed's shape. */
function fromObject(data: Record<string, unknown>, fallbackRange: PortRange): { doc: RegistryDocument; problems: string[]; dropped: DroppedMapping[] } {
  const problems: string[] = [];
  const doc = emptyDocument(fallbackRange);

  if (data.version !== REGISTRY_VERSION) {
    problems.push(data.version === undefined ? '"version" is missing' : `"version" is ${jsonText(data.version)}, expected "${REGISTRY_VERSION}"`);
  }

  const range = readRange(data.port_range);
  if (range) doc.portRange = range;
  else problems.push(`"port_range" is ${data.port_range === undefined ? 'missing' : `${jsonText(data.port_range)}, not {"start", "end"} ports with start <= end`}`);

  let dropped: DroppedMapping[] = [];
  if (isPlainObject(data.mappings)) {
    dropped = collectMappings(
      Object.entries(data.mappings).map(([key, value]): [string, unknown, string] => [key, value, jsonText(value)]),
      doc.mappings,
    );
    if (dropped.length > 0) problems.push(`${dropped.length} mapping(s) are not well-formed`);
  } else {
    problems.push(`"mappings" is ${data.mappings === undefined ? 'missing' : `not an object (${jsonText(data.mappings).slice(0, 60)})`}`);
  }

  if (isNextAvailable(data.next_available)) doc.nextAvailable = data.next_available;
  else problems.push(`"next_available" is ${data.next_available === undefined ? 'missing' : `${jsonText(data.next_available)}, not a whole number`}`);

  for (const [key, value] of Object.entries(data)) if (!KNOWN_KEYS.has(key)) doc.extras.push([key, value]);
  return { doc, problems, dropped };
}

/** Mappings recovered from text that is not JSON at all. */
function fromBrokenText(text: string, fallbackRange: PortRange): { doc: RegistryDocument; dropped: DroppedMapping[] } {
  const doc = emptyDocument(fallbackRange);
  const pairs = scanKeyNumberPairs(text);
  const candidates: Array<[string, unknown, string]> = [];
  let start: number | undefined;
  let end: number | undefined;
  let next: number | undefined;
  for (const { key, value, valueText } of pairs) {
    if (isProjectKey(key)) candidates.push([key, value, valueText]);
    else if (key === 'start' && isPort(value)) start ??= value;
    else if (key === 'end' && isPort(value)) end ??= value;
    else if (key === 'next_available' && isNextAvailable(value)) next ??= value;
  }
  const dropped = collectMappings(candidates, doc.mappings);
  if (start !== undefined && end !== undefined && start <= end) doc.portRange = { start, end };
  if (next !== undefined) doc.nextAvailable = next;
  return { doc, dropped };
}

/**
 * Classifies registry bytes. `fallbackRange` fills a salvaged document's range when the file's own
 * is unusable. Never throws.
 */
export function parseRegistry(bytes: Uint8Array, fallbackRange: PortRange): ParsedRegistry {
  let text: string;
  const problems: string[] = [];
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    text = new TextDecoder('utf-8').decode(bytes);
    problems.push('the file is not valid UTF-8 text');
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // a BOM from a Windows editor
  if (problems.length === 0 && text.trim() === '') return { kind: 'empty' };

  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const { doc, dropped } = fromBrokenText(text, fallbackRange);
    problems.push(`not valid JSON (${(error as Error).message})`);
    return { kind: 'corrupt', doc, problems, dropped };
  }

  if (!isPlainObject(data)) {
    const { doc, dropped } = fromBrokenText(text, fallbackRange);
    problems.push(`the top level is ${Array.isArray(data) ? 'an array' : jsonText(data)}, not an object`);
    return { kind: 'corrupt', doc, problems, dropped };
  }

  if (typeof data.version === 'string') {
    const parts = versionParts(data.version);
    if (parts && compareVersions(parts, SUPPORTED) > 0) {
      // Show what we recognise, keep everything else untouched by never writing.
      const { doc } = fromObject(data, fallbackRange);
      doc.version = data.version;
      return { kind: 'newer', doc, version: data.version };
    }
    if (parts && compareVersions(parts, SUPPORTED) === 0) data = { ...data, version: REGISTRY_VERSION };
  }

  const { doc, problems: shapeProblems, dropped } = fromObject(data as Record<string, unknown>, fallbackRange);
  problems.push(...shapeProblems);
  return problems.length === 0 ? { kind: 'valid', doc } : { kind: 'corrupt', doc, problems, dropped };
}
