// The working-folder rules, first in the chain: a command-line agent (Claude Code, Codex, the Continue
// CLI, anything with one user-level URL) works in its project's folder, which says exactly which
// project it works on — no focus guessing, no file in the project.
//   cwd       the folder lies inside a known project (registry mappings, projects open in an IDE;
//             the deepest wins);
//   git-root  else inside a git work tree: its top folder is the project (no port needed).
// Gathered once per connection (`prepare`): the peer's own folder first; when it says nothing (a
// language server started in `/`, an agent in a temp folder) its parents' folders, nearest first,
// up to but not including the IDE process (its folder is wherever it was started) or the session's
// leader (a terminal's login shell), and never leaving the peer's session. A folder a process only
// inherited from the IDE says nothing either. An exited peer, a deleted or unreadable folder: nothing,
// and the IDE rules go on.
import type { FolderProjects, FolderRule } from './folder-projects';
import { isIdeProcess } from './ide-of-process';
import type { CwdReader } from './process-cwd';
import type { ProcessInfo } from './process-info';
import type { AttributionRule, PeerProcess, RuleEvidence } from './rules';
import type { RunningIde } from './running-ides';

/** At most this many processes (the peer and its parents) have their folder read per connection. */
export const MAX_FOLDER_WALK = 8;

export interface FolderFact extends RuleEvidence {
  project: string;
  rule: FolderRule;
  pid: number;
  folder: string;
}

export interface FolderRulesOptions {
  folders: FolderProjects;
  cwds: CwdReader;
  maxWalk?: number;
}

/** A login shell: how `ps` shows a session's leader where the OS does not give the session (macOS). */
function looksLikeLoginShell(process: ProcessInfo): boolean {
  return process.name?.startsWith('-') === true;
}

/** The processes whose folder may speak for the peer, nearest first (see the header). */
export function walkCandidates(chain: readonly ProcessInfo[], ide: RunningIde | undefined, maxWalk = MAX_FOLDER_WALK): ProcessInfo[] {
  const peer = chain[0];
  if (peer === undefined) return [];
  const candidates: ProcessInfo[] = [];
  for (const [index, process] of chain.entries()) {
    if (candidates.length >= maxWalk || process.pid <= 1) break;
    if (ide !== undefined && isIdeProcess(process, ide)) break;
    if (index > 0) {
      if (peer.sid !== undefined && process.sid !== peer.sid) break;
      if (process.sid === process.pid || looksLikeLoginShell(process)) break;
    }
    candidates.push(process);
    // The peer leads its own session (a detached agent, a terminal's only command): no parent speaks for it.
    if (process.sid === process.pid) break;
  }
  return candidates;
}

/** The cwd and git-root rules, sharing one per-connection fact. */
export function folderRules(options: FolderRulesOptions): AttributionRule[] {
  const facts = new WeakMap<PeerProcess, FolderFact>();
  const maxWalk = options.maxWalk ?? MAX_FOLDER_WALK;

  async function prepare(peer: PeerProcess, deadline: number, ide: RunningIde | undefined): Promise<void> {
    const candidates = walkCandidates(peer.chain, ide, maxWalk);
    if (candidates.length === 0) return;
    const pids = candidates.map((candidate) => candidate.pid);
    // The IDE's own folder too: a child that merely inherited it has chosen no folder.
    if (ide !== undefined) pids.push(ide.pid);
    const readings = await options.cwds.read(pids, deadline);
    const ideReading = ide === undefined ? undefined : readings.get(ide.pid);
    const inherited = ideReading !== undefined && 'folder' in ideReading ? ideReading.folder : undefined;
    for (const candidate of candidates) {
      if (Date.now() > deadline) return;
      const reading = readings.get(candidate.pid);
      if (reading === undefined || !('folder' in reading) || reading.folder === inherited) continue;
      const found = await options.folders.projectOf(reading.folder);
      if (found === undefined) continue;
      const fact: FolderFact = { ...found, pid: candidate.pid, folder: reading.folder };
      if (candidate.name !== undefined) fact.process = candidate.name;
      facts.set(peer, fact);
      return;
    }
  }

  const evidence = ({ peer }: { peer: PeerProcess }): RuleEvidence | undefined => {
    const fact = facts.get(peer);
    return fact === undefined ? undefined : { ...(fact.process !== undefined ? { process: fact.process } : {}), folder: fact.folder };
  };

  const rule = (name: FolderRule, withPrepare: boolean): AttributionRule => ({
    name,
    ...(withPrepare ? { prepare } : {}),
    decide: ({ peer }) => {
      const fact = facts.get(peer);
      return fact?.rule === name ? fact.project : undefined;
    },
    evidence,
  });
  // One prepare for both: the walk stops at the first folder that says anything, of either kind.
  return [rule('cwd', true), rule('git-root', false)];
}
