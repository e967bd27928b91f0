// Which running IDE a process belongs to: the nearest process in its parent chain whose PID is an
// IDE's .lock PID. AI Assistant runs inside the IDE's JVM (the peer is the IDE itself); Copilot's
// language server and Continue's core are its children. A PID is only taken as the IDE's when that
// process started before the IDE wrote its .lock: a process that started later was given the PID
// after the IDE died (the .lock a crash left behind names it).
import type { ProcessInfo } from './process-info';
import type { RunningIde } from './running-ides';

/** Start times are known to about a second (/proc's boot time is whole seconds); lock writes lag a start. */
const START_TIME_SLACK_MS = 2000;

/** Whether `process` can be the IDE that wrote the .lock (false: the PID was reused). */
export function isIdeProcess(process: ProcessInfo, ide: RunningIde): boolean {
  if (process.pid !== ide.pid) return false;
  if (process.startedAt === undefined || ide.lockWrittenAt === undefined) return true;
  return process.startedAt <= ide.lockWrittenAt + START_TIME_SLACK_MS;
}

/** The IDE of the nearest matching process in `chain` (the peer first), if any. */
export function ideOfChain(chain: readonly ProcessInfo[], ides: readonly RunningIde[]): RunningIde | undefined {
  for (const process of chain) {
    for (const ide of ides) if (isIdeProcess(process, ide)) return ide;
  }
  return undefined;
}
