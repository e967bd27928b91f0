// Attribution for the shared port, as the proxy asks for it (proxy/request-attribution.ts):
// once per connection, who is on the other end — the peer process (from the loopback socket), its
// parent chain, the running IDE in it, and what each rule prepares (the folder rules: the working
// folder) — bounded in time, then "unknown"; once per request, the project by rule. A connection's requests within a few seconds of each other keep the project the
// first one got (an agent's burst does not jump projects when the user switches windows), and a
// streamed response keeps its identity simply because identity is decided when the request starts.
import type { Socket } from 'node:net';
import { peerOf } from '../proxy/peer-of';
import { UNATTRIBUTED, type ProxyIdentity } from '../proxy/identity-headers';
import type { RequestAttribution } from '../proxy/request-attribution';
import type { FocusTracker } from './focus/focus-tracker';
import { ideOfChain } from './ide-of-process';
import { parentChain, type ProcessTable } from './process-info';
import { decide, DEFAULT_RULES, type AttributionRule, type Decision, type PeerProcess } from './rules';
import type { RunningIde, RunningIdes } from './running-ides';

/** Learning who a new connection is (socket → PID → chain → IDE, and a focus reading) may take this long. */
export const DEFAULT_LOOKUP_TIMEOUT_MS = 750;
/** A connection's next request within this long after the last one ended keeps its project. */
export const DEFAULT_STICKY_MS = 5000;
/** A request of an IDE with several open projects waits at most this long for a fresh focus reading. */
const FOCUS_READ_MS = 500;

export interface IdeAttributionOptions {
  ides: RunningIdes;
  focus: FocusTracker;
  processes: ProcessTable;
  /** In order; `unattributed` when none answers. */
  rules?: readonly AttributionRule[];
  lookupTimeoutMs?: number;
  stickyMs?: number;
}

interface ConnectionState {
  learning: Promise<void> | undefined;
  peer: PeerProcess;
  /** The IDE the peer belongs to (its config folder), once learnt. */
  ideConfigDir: string | undefined;
  /** The identity of this connection's latest request, kept until stickyUntil. */
  sticky: ProxyIdentity | undefined;
  stickyUntil: number;
}

const UNKNOWN_PEER: PeerProcess = Object.freeze({ chain: Object.freeze([]) as readonly never[] });

/** What the IDE port would decide for a request, for previews and displays. */
export interface AttributionPreview {
  decision: Decision;
  ide: RunningIde | undefined;
  identity: ProxyIdentity;
}

export class IdeAttribution implements RequestAttribution {
  private readonly connections = new WeakMap<Socket, ConnectionState>();
  /** One identity object per (port identity, rule, project, IDE): the proxy caches header text per object. */
  private readonly identities = new WeakMap<ProxyIdentity, Map<string, ProxyIdentity>>();
  private readonly rules: readonly AttributionRule[];
  private readonly lookupTimeoutMs: number;
  private readonly stickyMs: number;

  constructor(private readonly options: IdeAttributionOptions) {
    this.rules = options.rules ?? DEFAULT_RULES;
    this.lookupTimeoutMs = options.lookupTimeoutMs ?? DEFAULT_LOOKUP_TIMEOUT_MS;
    this.stickyMs = options.stickyMs ?? DEFAULT_STICKY_MS;
  }

  prepare(socket: Socket): Promise<void> | undefined {
    let state = this.connections.get(socket);
    if (state === undefined) {
      state = { learning: undefined, peer: UNKNOWN_PEER, ideConfigDir: undefined, sticky: undefined, stickyUntil: 0 };
      this.connections.set(socket, state);
      this.options.focus.touch();
      const learning = this.learn(socket, state).finally(() => {
        (state as ConnectionState).learning = undefined;
      });
      state.learning = learning;
      return learning;
    }
    if (state.learning !== undefined) return state.learning;
    // A request that focus may decide waits (once, bounded) for a reading when none was taken lately:
    // the poll stops a few minutes after the port's last request, and a keep-alive connection outlives it.
    if (this.mayNeedFocus(state) && this.options.focus.stale()) return this.options.focus.readNow(FOCUS_READ_MS);
    return undefined;
  }

  private mayNeedFocus(state: ConnectionState, now = Date.now()): boolean {
    if (state.sticky !== undefined && now <= state.stickyUntil) return false;
    const ide = this.ideOf(state);
    return ide !== undefined && ide.openProjects.length > 1;
  }

  /** Fills in the connection's peer and IDE if they are learnt by the deadline; otherwise they stay unknown. */
  private async learn(socket: Socket, state: ConnectionState): Promise<void> {
    const deadline = Date.now() + this.lookupTimeoutMs;
    let timedOut = false;
    const work = (async () => {
      const ides = await this.options.ides.current();
      // The IDEs' own processes first: AI Assistant's connections are the IDE's.
      const facts = await peerOf(socket, { pid: true, pidTimeoutMs: Math.max(1, deadline - Date.now()), candidates: ides.map((ide) => ide.pid) });
      const peer: PeerProcess = facts.pid === undefined ? UNKNOWN_PEER : { pid: facts.pid, chain: await parentChain(facts.pid, this.options.processes, deadline) };
      const ide = ideOfChain(peer.chain, ides);
      await Promise.all(this.rules.map((rule) => rule.prepare?.(peer, deadline, ide)));
      if (timedOut) return;
      state.peer = peer;
      state.ideConfigDir = ide?.configDir;
      if (ide !== undefined && ide.openProjects.length > 1) await this.options.focus.fresh(Math.max(1, deadline - Date.now()));
    })().catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        timedOut = true;
        resolve();
      }, this.lookupTimeoutMs);
    });
    await Promise.race([work, timeout]);
    clearTimeout(timer);
  }

  private ideOf(state: ConnectionState): RunningIde | undefined {
    if (state.ideConfigDir === undefined) return undefined;
    return this.options.ides.latest().find((ide) => ide.configDir === state.ideConfigDir);
  }

  identityFor(socket: Socket, base: ProxyIdentity): ProxyIdentity {
    const now = Date.now();
    this.options.focus.touch(now);
    const state = this.connections.get(socket);
    if (state?.sticky !== undefined && now <= state.stickyUntil) {
      state.stickyUntil = Number.POSITIVE_INFINITY; // until this request ends too
      return state.sticky;
    }
    const ide = state === undefined ? undefined : this.ideOf(state);
    const peer = state?.peer ?? UNKNOWN_PEER;
    const decision = decide(this.rules, { peer, ide, focus: this.options.focus });
    // The IDE rules decide from the peer's process: name it, for the request log.
    const name = peer.chain[0]?.name;
    if (decision.evidence === undefined && name !== undefined) decision.evidence = { process: name };
    const identity = this.identity(base, decision, ide);
    if (state !== undefined) {
      state.sticky = identity;
      state.stickyUntil = Number.POSITIVE_INFINITY;
    }
    return identity;
  }

  ended(socket: Socket): void {
    const state = this.connections.get(socket);
    if (state !== undefined) state.stickyUntil = Date.now() + this.stickyMs;
  }

  /**
   * What a request from an IDE would get now: the IDE whose window is in front, else the only
   * running IDE, else the one with the most recent activity; unattributed when none runs.
   */
  preview(base: ProxyIdentity): AttributionPreview {
    const ides = this.options.ides.latest();
    const front = this.options.focus.frontNow();
    const ide =
      ides.find((candidate) => candidate.configDir === front?.ideConfigDir) ??
      (ides.length === 1 ? ides[0] : [...ides].sort((a, b) => (b.openProjects[0]?.lastActivated ?? 0) - (a.openProjects[0]?.lastActivated ?? 0))[0]);
    const peer: PeerProcess = ide === undefined ? UNKNOWN_PEER : { pid: ide.pid, chain: [{ pid: ide.pid, ppid: 0 }] };
    const decision = decide(this.rules, { peer, ide, focus: this.options.focus });
    return { decision, ide, identity: this.identity(base, decision, ide) };
  }

  private identity(base: ProxyIdentity, decision: Decision, ide: RunningIde | undefined): ProxyIdentity {
    let byKey = this.identities.get(base);
    if (byKey === undefined) this.identities.set(base, (byKey = new Map()));
    const { evidence } = decision;
    const key = `${decision.rule}\0${decision.project ?? ''}\0${ide?.configDir ?? ''}\0${evidence?.process ?? ''}\0${evidence?.folder ?? ''}`;
    let identity = byKey.get(key);
    if (identity === undefined) {
      identity = {
        projectPath: decision.project ?? UNATTRIBUTED,
        port: base.port,
        ...(base.instance !== undefined ? { instance: base.instance } : {}),
        ...(ide !== undefined ? { ide: { product: ide.productName, ...(ide.version !== undefined ? { version: ide.version } : {}) } } : {}),
        attribution: decision.rule,
        ...(evidence !== undefined ? { decidedBy: { ...evidence } } : {}),
      };
      // Bounded: projects and IDEs come and go over a long run.
      if (byKey.size >= 1000) byKey.clear();
      byKey.set(key, identity);
    }
    return identity;
  }
}
