// The port registry's public API: everything other layers and helpers may use.
export { openRegistry } from './port-registry';
export type { AllocationResult, PortRegistry, RemoveTarget, RemovedMapping, ResetResult } from './port-registry';
export { ENV, parseReservedPorts, portOverrideFrom, registryOptionsFrom } from './registry-options';
export type { RegistryFlags, RegistryOptions } from './registry-options';
export { normalizeProjectPath } from './project-key';
export { folderIsGone } from './folder-gone';
export { clientTokenPathFor, defaultRegistryPath, lockPathFor, settingsPathFor, REGISTRY_FILE_NAME, SETTINGS_FILE_NAME } from './paths';
export { DEFAULT_PORT_RANGE, MAX_PORT, MIN_PORT, formatRange, inRange, isPort, parsePortText } from './port-range';
export type { PortRange } from './port-range';
export type { RegistryMapping, RegistryView } from './registry-view';
export type { DroppedMapping, SalvageReport } from './registry-parse';
export type { MappingRef, RegistryChange } from './mapping-diff';
export { REGISTRY_LOCK_SETTINGS } from './registry-lock';
export { REGISTRY_VERSION } from './registry-document';
