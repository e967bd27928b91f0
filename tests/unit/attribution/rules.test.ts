import { describe, expect, it } from 'vitest';
import type { FrontWindow } from '../../../electron/core/attribution/focus/focus-tracker';
import { isIdeProcess, ideOfChain } from '../../../electron/core/attribution/ide-of-process';
import { decide, DEFAULT_RULES, type AttributionRule, type FocusView } from '../../../electron/core/attribution/rules';
import type { RunningIde } from '../../../electron/core/attribution/running-ides';

function ide(projects: Array<{ path: string; lastActivated?: number }>, configDir = '/cfg/IntelliJIdea2025.1'): RunningIde {
  return {
    configDir,
    product: 'IntelliJIdea',
    productName: 'IntelliJ IDEA',
    pid: 100,
    lockWrittenAt: 1_000_000,
    openProjects: projects.map((p) => ({ ...p, idePath: p.path, name: p.path.split('/').pop() as string })),
  };
}

function focus(front: Partial<FrontWindow> | undefined, last?: string): FocusView {
  return {
    frontNow: () => (front === undefined ? undefined : { pid: 100, title: '', projects: [], at: 0, ...front }),
    lastProjectInFront: () => last,
  };
}

const peer = { pid: 100, chain: [{ pid: 100, ppid: 1 }] };

describe('the rule chain', () => {
  it('single: one open project decides, whatever is in front', () => {
    const one = ide([{ path: '/p/a' }]);
    expect(decide(DEFAULT_RULES, { peer, ide: one, focus: focus({ ideConfigDir: 'elsewhere' }) })).toEqual({ project: '/p/a', rule: 'single' });
  });

  it('focus: the IDE window in front naming exactly one open project', () => {
    const two = ide([{ path: '/p/a' }, { path: '/p/b' }]);
    expect(decide(DEFAULT_RULES, { peer, ide: two, focus: focus({ ideConfigDir: two.configDir, projects: ['/p/b'] }) })).toEqual({ project: '/p/b', rule: 'focus' });
  });

  it('focus passes on to last-focused: another IDE or program in front, a title naming two projects, or a closed project', () => {
    const two = ide([{ path: '/p/a', lastActivated: 5 }, { path: '/p/b', lastActivated: 1 }]);
    for (const front of [{ ideConfigDir: '/cfg/other' }, {}, { ideConfigDir: two.configDir, projects: ['/p/a', '/p/b'] }, { ideConfigDir: two.configDir, projects: ['/p/closed'] }]) {
      expect(decide(DEFAULT_RULES, { peer, ide: two, focus: focus(front) })).toEqual({ project: '/p/a', rule: 'last-focused' });
    }
  });

  it('last-focused: the project last seen in front wins over the IDE\'s own activation record, if still open', () => {
    const two = ide([{ path: '/p/a', lastActivated: 5 }, { path: '/p/b', lastActivated: 1 }]);
    expect(decide(DEFAULT_RULES, { peer, ide: two, focus: focus(undefined, '/p/b') })).toEqual({ project: '/p/b', rule: 'last-focused' });
    expect(decide(DEFAULT_RULES, { peer, ide: two, focus: focus(undefined, '/p/gone') })).toEqual({ project: '/p/a', rule: 'last-focused' });
  });

  it('unattributed: no IDE, an IDE with no open project, or no signal at all', () => {
    expect(decide(DEFAULT_RULES, { peer, ide: undefined, focus: focus(undefined) })).toEqual({ project: undefined, rule: 'unattributed' });
    expect(decide(DEFAULT_RULES, { peer, ide: ide([]), focus: focus(undefined) })).toEqual({ project: undefined, rule: 'unattributed' });
    expect(decide(DEFAULT_RULES, { peer, ide: ide([{ path: '/p/a' }, { path: '/p/b' }]), focus: focus(undefined) })).toEqual({
      project: undefined,
      rule: 'unattributed',
    });
  });

  it('a rule inserted first (such as a working-folder rule) decides before the IDE rules, with no other change', () => {
    const first: AttributionRule = { name: 'cwd', decide: ({ peer: p }) => (p.pid === 100 ? '/p/from-cwd' : undefined) };
    expect(decide([first, ...DEFAULT_RULES], { peer, ide: ide([{ path: '/p/a' }]), focus: focus(undefined) })).toEqual({ project: '/p/from-cwd', rule: 'cwd' });
  });
});

describe('which IDE a process chain belongs to', () => {
  const running = ide([{ path: '/p/a' }]);

  it('the nearest process whose PID is the .lock PID and that started before the .lock was written', () => {
    expect(ideOfChain([{ pid: 300, ppid: 100 }, { pid: 100, ppid: 1, startedAt: 999_000 }], [running])).toBe(running);
    expect(isIdeProcess({ pid: 100, ppid: 1 }, running)).toBe(true); // start time unknown: the PID is all there is
  });

  it('a process given the PID after the IDE died is not the IDE', () => {
    expect(isIdeProcess({ pid: 100, ppid: 1, startedAt: 1_000_000 + 60_000 }, running)).toBe(false);
    expect(ideOfChain([{ pid: 100, ppid: 1, startedAt: 1_000_000 + 60_000 }], [running])).toBeUndefined();
  });

  it('a chain that ends early (a parent exited mid-walk) names no IDE', () => {
    expect(ideOfChain([{ pid: 300, ppid: 250 }], [running])).toBeUndefined();
    expect(ideOfChain([], [running])).toBeUndefined();
  });
});
