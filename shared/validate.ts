// Argument validation for every API method. Arguments come from a less trusted process (the page),
// so each is checked for shape, types and sizes before a handler sees it, and a refusal names the
// field. Hand-written: the shapes are few and small, and a library would cross every layer.
import { API_ERROR, API_METHOD_NAMES, isApiMethodName, type ApiArgs, type ApiFailure, type ApiMethodName, type ClientSetupArg } from './api';
import { CLIENT_IDS, isClientId, isModelName, MAX_MODEL_NAME_LENGTH } from './client-setup';
import { describeType, isForbiddenKey, isPlainObject, quote } from './plain-json';
import { isPort } from './port-list';
import { checkSettingsUpdate } from './settings-fields';
import { isAbsolutePath, MAX_PATH_LENGTH } from './text-checks';

export type Validation<T> = { ok: true; value: T } | ApiFailure;

function invalid(message: string): ApiFailure {
  return { ok: false, code: API_ERROR.invalidArgument, message };
}

/** Checks the argument is a plain object holding exactly the allowed keys (all required unless optional). */
function objectWithKeys(
  arg: unknown,
  method: string,
  required: readonly string[],
  optional: readonly string[] = [],
): Validation<Record<string, unknown>> {
  if (!isPlainObject(arg)) return invalid(`${method}: argument must be an object (got ${describeType(arg)})`);
  for (const key of Object.keys(arg)) {
    if (isForbiddenKey(key)) return invalid(`${method}: key ${quote(key)} is not allowed`);
    if (!required.includes(key) && !optional.includes(key)) {
      return invalid(`${method}: unknown field ${quote(key)} (expected ${[...required, ...optional].join(', ')})`);
    }
  }
  for (const key of required) {
    if (!Object.hasOwn(arg, key)) return invalid(`${method}: field ${quote(key)} is required`);
  }
  return { ok: true, value: arg };
}

function checkPathField(method: string, field: string, value: unknown): ApiFailure | null {
  if (typeof value !== 'string') return invalid(`${method}: ${field} must be a path (got ${describeType(value)})`);
  if (value.length > MAX_PATH_LENGTH) return invalid(`${method}: ${field} is longer than ${MAX_PATH_LENGTH} characters`);
  if (!isAbsolutePath(value)) return invalid(`${method}: ${field} must be an absolute path without control characters (got ${quote(value)})`);
  return null;
}

function noArgument(method: string) {
  return (arg: unknown): Validation<undefined> => {
    // The transports send nothing, null or {} for "no argument"; anything else is a caller bug.
    if (arg === undefined || arg === null) return { ok: true, value: undefined };
    if (isPlainObject(arg) && Object.keys(arg).length === 0) return { ok: true, value: undefined };
    return invalid(`${method}: takes no argument (got ${describeType(arg)})`);
  };
}

function projectArgument(method: string) {
  return (arg: unknown): Validation<{ project: string }> => {
    const shape = objectWithKeys(arg, method, ['project']);
    if (!shape.ok) return shape;
    const problem = checkPathField(method, 'project', shape.value.project);
    return problem ?? { ok: true, value: { project: shape.value.project as string } };
  };
}

function clientSetupArgument(method: string) {
  return (arg: unknown): Validation<ClientSetupArg> => {
    const shape = objectWithKeys(arg, method, ['project'], ['clients', 'model']);
    if (!shape.ok) return shape;
    const { project, clients, model } = shape.value;
    const problem = checkPathField(method, 'project', project);
    if (problem) return problem;
    const value: ClientSetupArg = { project: project as string };
    if (clients !== undefined) {
      if (!Array.isArray(clients) || clients.length === 0 || clients.length > CLIENT_IDS.length || !clients.every(isClientId)) {
        return invalid(`${method}: clients must be a non-empty list of ${CLIENT_IDS.join(', ')} (got ${describeType(clients)})`);
      }
      value.clients = CLIENT_IDS.filter((id) => clients.includes(id));
    }
    if (model !== undefined) {
      if (typeof model !== 'string' || !isModelName(model)) {
        return invalid(`${method}: model must be a model name of at most ${MAX_MODEL_NAME_LENGTH} letters, digits and . _ - : / @ + (got ${typeof model === 'string' ? quote(model, 40) : describeType(model)})`);
      }
      value.model = model;
    }
    return { ok: true, value };
  };
}

type Validators = { [M in ApiMethodName]: (arg: unknown) => Validation<ApiArgs[M]> };

export const ARGUMENT_VALIDATORS: Validators = {
  getSnapshot: noArgument('getSnapshot'),
  listMappings: noArgument('listMappings'),
  resetRegistry: noArgument('resetRegistry'),
  getSettings: noArgument('getSettings'),
  getUsage: noArgument('getUsage'),
  startProject: projectArgument('startProject'),
  stopProject: projectArgument('stopProject'),
  reassignPort: projectArgument('reassignPort'),
  revealFolder: projectArgument('revealFolder'),
  previewHeaders: projectArgument('previewHeaders'),
  getRecentRequests: projectArgument('getRecentRequests'),
  getClientToken: noArgument('getClientToken'),
  rotateClientToken: noArgument('rotateClientToken'),
  previewClientSetup: clientSetupArgument('previewClientSetup'),
  applyClientSetup: clientSetupArgument('applyClientSetup'),
  undoClientSetup: projectArgument('undoClientSetup'),
  rewriteClientFiles: projectArgument('rewriteClientFiles'),
  previewIdePortHeaders: noArgument('previewIdePortHeaders'),
  getIdePortRequests: noArgument('getIdePortRequests'),
  dismissNotice(arg) {
    const method = 'dismissNotice';
    const shape = objectWithKeys(arg, method, ['id']);
    if (!shape.ok) return shape;
    const { id } = shape.value;
    if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 1) return invalid(`${method}: id must be a positive whole number (got ${describeType(id)})`);
    return { ok: true, value: { id } };
  },
  removeMapping(arg) {
    const method = 'removeMapping';
    const shape = objectWithKeys(arg, method, [], ['project', 'port']);
    if (!shape.ok) return shape;
    const { project, port } = shape.value;
    const hasProject = Object.hasOwn(shape.value, 'project');
    const hasPort = Object.hasOwn(shape.value, 'port');
    if (hasProject === hasPort) return invalid(`${method}: give exactly one of project or port`);
    if (hasPort) {
      if (!isPort(port)) {
        return invalid(`${method}: port must be a whole number 1–65535 (got ${typeof port === 'number' ? String(port) : describeType(port)})`);
      }
      return { ok: true, value: { port } };
    }
    const problem = checkPathField(method, 'project', project);
    return problem ?? { ok: true, value: { project: project as string } };
  },
  openProjectFolder(arg) {
    const method = 'openProjectFolder';
    const shape = objectWithKeys(arg, method, ['path']);
    if (!shape.ok) return shape;
    const problem = checkPathField(method, 'path', shape.value.path);
    return problem ?? { ok: true, value: { path: shape.value.path as string } };
  },
  updateSettings(arg) {
    const checked = checkSettingsUpdate(arg);
    return checked.ok ? checked : invalid(`updateSettings: ${checked.message}`);
  },
};

export type ValidatedCall = { [M in ApiMethodName]: { ok: true; method: M; arg: ApiArgs[M] } }[ApiMethodName];

/** Checks a method name and its argument; the one gate every transport passes calls through. */
export function validateCall(method: unknown, arg: unknown): ValidatedCall | ApiFailure {
  if (!isApiMethodName(method)) {
    const shown = typeof method === 'string' ? quote(method, 40) : describeType(method);
    return { ok: false, code: API_ERROR.unknownMethod, message: `unknown method ${shown} (known: ${API_METHOD_NAMES.join(', ')})` };
  }
  const checked = ARGUMENT_VALIDATORS[method](arg);
  if (!checked.ok) return checked;
  return { ok: true, method, arg: checked.value } as ValidatedCall;
}
