// Which project of the IDE that sent a request it belongs to: rules tried in order, the first that
// answers decides, and its name is recorded with the request. No rule answering means
// `unattributed`: the request is billed to no project rather than to a guess.
//   single        the IDE has exactly one open project;
//   focus         the window in front is that IDE's and its title names one of its open projects;
//   last-focused  the IDE's project last seen in front, else the one it activated last;
// A rule that needs its own per-connection fact (the peer's working folder: folder-rules.ts) gathers
// it in `prepare`, and goes first in the list: the chain needs no other change.
import type { ProcessInfo } from './process-info';
import type { FrontWindow } from './focus/focus-tracker';
import type { RunningIde } from './running-ides';

export type RuleName = 'single' | 'focus' | 'last-focused' | (string & {});

/** What is known about the process on the other end of a connection. */
export interface PeerProcess {
  pid?: number;
  /** The peer and its ancestors, nearest first; empty when the peer is unknown. */
  chain: readonly ProcessInfo[];
}

export interface FocusView {
  /** The window in front now (a fresh reading), if known. */
  frontNow(): FrontWindow | undefined;
  lastProjectInFront(ide: RunningIde): string | undefined;
}

export interface RuleContext {
  peer: PeerProcess;
  /** The running IDE the peer belongs to, when it is one's. */
  ide: RunningIde | undefined;
  focus: FocusView;
}

/** What decided, for the request log (never sent upstream): the process and the folder it works in. */
export interface RuleEvidence {
  /** The short name of the process whose fact decided ("claude", "codex", "java"). */
  process?: string;
  /** The working folder that decided (folder rules only). */
  folder?: string;
}

export interface AttributionRule {
  readonly name: RuleName;
  /**
   * Per connection, before its first request: what this rule needs about the peer, by `deadline`.
   * `ide`: the running IDE in the peer's parent chain, if any.
   */
  prepare?(peer: PeerProcess, deadline: number, ide: RunningIde | undefined): Promise<void>;
  /** The project (registry key) this rule gives the request, or undefined to let the next rule try. */
  decide(context: RuleContext): string | undefined;
  /** What made this rule decide, when it did. */
  evidence?(context: RuleContext): RuleEvidence | undefined;
}

function isOpenIn(ide: RunningIde, project: string): boolean {
  return ide.openProjects.some((open) => open.path === project);
}

export const singleRule: AttributionRule = {
  name: 'single',
  decide: ({ ide }) => (ide !== undefined && ide.openProjects.length === 1 ? ide.openProjects[0]?.path : undefined),
};

export const focusRule: AttributionRule = {
  name: 'focus',
  decide({ ide, focus }) {
    if (ide === undefined) return undefined;
    const front = focus.frontNow();
    // Another program's window, a dialog, or a title naming two open projects: not this rule's to say.
    if (front?.ideConfigDir !== ide.configDir || front.projects.length !== 1) return undefined;
    const project = front.projects[0] as string;
    return isOpenIn(ide, project) ? project : undefined;
  },
};

export const lastFocusedRule: AttributionRule = {
  name: 'last-focused',
  decide({ ide, focus }) {
    if (ide === undefined) return undefined;
    const seen = focus.lastProjectInFront(ide);
    if (seen !== undefined && isOpenIn(ide, seen)) return seen;
    // The IDE's own record: open projects are sorted by activationTimestamp, newest first.
    return ide.openProjects.find((project) => project.lastActivated !== undefined)?.path;
  },
};

export const DEFAULT_RULES: readonly AttributionRule[] = [singleRule, focusRule, lastFocusedRule];

export interface Decision {
  /** Undefined: unattributed. */
  project: string | undefined;
  rule: RuleName;
  /** Set by a rule that knows more than the peer's process (the folder rules). */
  evidence?: RuleEvidence;
}

export function decide(rules: readonly AttributionRule[], context: RuleContext): Decision {
  for (const rule of rules) {
    const project = rule.decide(context);
    if (project === undefined) continue;
    const evidence = rule.evidence?.(context);
    return evidence === undefined ? { project, rule: rule.name } : { project, rule: rule.name, evidence };
  }
  return { project: undefined, rule: 'unattributed' };
}
