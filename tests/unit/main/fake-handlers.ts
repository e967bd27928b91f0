// ApiHandlers that record each call and answer from a table: the IPC and tray tests drive core's
// real dispatch() and validators through them.
import type { ApiHandlers } from '../../../electron/core/api/api-handlers';
import { API_METHOD_NAMES, type ApiMethodName } from '../../../shared/api';
import { snapshot } from './snapshot-fixture';

export interface RecordedCall {
  method: ApiMethodName;
  arg: unknown;
}

export function recordingHandlers(answers: Partial<Record<ApiMethodName, (arg: unknown) => unknown>> = {}): { handlers: ApiHandlers; calls: RecordedCall[] } {
  const calls: RecordedCall[] = [];
  const table: Record<string, (arg: unknown) => unknown> = {};
  for (const method of API_METHOD_NAMES) {
    table[method] = async (arg: unknown) => {
      calls.push({ method, arg });
      const answer = answers[method];
      return answer ? answer(arg) : method === 'getSnapshot' ? snapshot([]) : null;
    };
  }
  return { handlers: table as unknown as ApiHandlers, calls };
}
