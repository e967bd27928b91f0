import { spawn } from 'node:child_process';
import type net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectJetBrains, type DetectReport } from '../../../electron/core/discovery/jetbrains/detect-jetbrains';
import { freePort, occupyPort } from '../../helpers/ports';
import { tempDir } from '../../helpers/temp';
import { fixture, put, recentProjectsXml } from '../../fixtures/jetbrains/fixtures';

async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  const pid = child.pid as number;
  await new Promise((resolve) => child.once('exit', resolve));
  return pid;
}

let home: string;
let jetbrains: string;
let report: DetectReport;
let oldIdeServer: net.Server;

beforeAll(async () => {
  home = await tempDir('detect-home-');
  jetbrains = path.join(home, '.config', 'JetBrains');
  const idea = path.join(jetbrains, 'IntelliJIdea2024.3');
  put(path.join(idea, 'options', 'recentProjects.xml'), fixture('modern/recentProjects-intellij.xml'));
  put(path.join(idea, 'options', 'path.macros.xml'), fixture('macros/path.macros.xml'));
  put(path.join(idea, '.lock'), String(process.pid));

  // The previous version still lists billing-service as opened (it was open when 2024.2 quit).
  put(
    path.join(jetbrains, 'IntelliJIdea2024.2', 'options', 'recentProjects.xml'),
    recentProjectsXml([{ key: '$USER_HOME$/IdeaProjects/billing-service', opened: true, activation: 1720000000000, build: 'IU-242.1' }]),
  );

  put(path.join(jetbrains, 'Rider2024.3', 'options', 'recentSolutions.xml'), fixture('rider/recentSolutions.xml'));

  const pycharm = path.join(jetbrains, 'PyCharm2025.1');
  put(path.join(pycharm, 'options', 'recentProjects.xml'), fixture('broken/recentProjects-conflict.xml'));
  put(path.join(pycharm, '.lock'), String(await deadPid()));

  const webstorm = path.join(home, '.WebStorm2019.3');
  put(path.join(webstorm, 'config', 'options', 'recentProjectDirectories.xml'), fixture('legacy/recentProjectDirectories.xml'));
  const port = await freePort();
  oldIdeServer = await occupyPort(port);
  put(path.join(webstorm, 'system', 'port'), String(port));

  report = await detectJetBrains({ platform: 'linux', homedir: home, env: {} });
});

afterAll(() => new Promise((resolve) => oldIdeServer.close(resolve)));

function entry(configName: string, key: string) {
  const found = report.entries.find((e) => e.configDir.includes(configName) && e.key === key);
  if (!found) throw new Error(`no entry ${key} from ${configName}`);
  return found;
}

describe('detectJetBrains', () => {
  it('lists every IDE with product, version, and whether (and why) it runs', () => {
    expect(report.ides.map((i) => [i.productName, i.version, i.layout, i.running, i.liveness.via])).toEqual([
      ['IntelliJ IDEA', '2024.2', 'modern', false, 'none'],
      ['IntelliJ IDEA', '2024.3', 'modern', true, 'lock'],
      ['PyCharm', '2025.1', 'modern', false, 'lock'],
      ['Rider', '2024.3', 'modern', false, 'none'],
      ['WebStorm', '2019.3', 'legacy', true, 'port'],
    ]);
    const idea = report.ides[1];
    expect(idea?.liveness.pid).toBe(process.pid);
    expect(idea?.build).toBe('IU-243.22562.218');
    expect(idea?.userMacros).toEqual(['SHARED_HOME', 'WORK']);
  });

  it('records parse errors per file', () => {
    const pycharm = report.ides.find((i) => i.product === 'PyCharm');
    expect(pycharm?.files.find((f) => f.name === 'recentProjects.xml')).toMatchObject({
      status: 'error',
      entries: 0,
      stale: false,
      error: expect.stringMatching(/conflict markers/),
    });
  });

  it('explains every entry: open, closed, hidden, IDE not running, unknown macro', () => {
    expect(entry('IntelliJIdea2024.3', '$USER_HOME$/IdeaProjects/billing-service')).toMatchObject({
      path: path.join(home, 'IdeaProjects', 'billing-service'),
      markedOpen: true,
      open: true,
      reason: 'open in a running IDE',
      lastActivated: 1735812000000,
      frameTitle: 'billing-service – InvoiceController.kt',
    });
    expect(entry('IntelliJIdea2024.3', '$USER_HOME$/IdeaProjects/old-prototype')).toMatchObject({ open: false, reason: 'not open in the IDE' });
    expect(entry('IntelliJIdea2024.3', '$USER_HOME$/tmp/diff-scratch')).toMatchObject({ open: false, reason: 'hidden by the IDE' });
    expect(entry('IntelliJIdea2024.3', '$USER_HOME$/Work & Play/café app')).toMatchObject({
      path: path.join(home, 'Work & Play', 'café app'),
      open: true,
    });
    expect(entry('IntelliJIdea2024.3', '$WORK$/payments-gateway')).toMatchObject({ path: '/srv/work/payments-gateway', open: true });
    const mystery = entry('IntelliJIdea2024.3', '$MYSTERY_ROOT$/unknown-place');
    expect(mystery).toMatchObject({ markedOpen: true, open: false, unknownMacros: ['MYSTERY_ROOT'] });
    expect(mystery.path).toBeUndefined();
    expect(mystery.reason).toMatch(/unknown path variable \$MYSTERY_ROOT\$/);
    expect(entry('IntelliJIdea2024.3', '$APPLICATION_CONFIG_DIR$/light-edit').path).toBe(
      path.join(jetbrains, 'IntelliJIdea2024.3', 'light-edit'),
    );
    expect(entry('Rider2024.3', '$USER_HOME$/RiderProjects/Storefront/Storefront.sln')).toMatchObject({
      path: path.join(home, 'RiderProjects', 'Storefront'),
      markedOpen: true,
      open: false,
      reason: 'marked open, but the IDE is not running',
    });
    expect(entry('WebStorm2019.3', '$USER_HOME$/WebstormProjects/admin-ui')).toMatchObject({ open: true });
  });

  it('publishes one project per folder, attributed to the IDE that has it open', () => {
    const open = report.projects.filter((p) => p.open);
    expect(open.map((p) => p.path)).toEqual(
      [
        path.join(home, 'IdeaProjects', 'billing-service'),
        path.join(home, 'WebstormProjects', 'admin-ui'),
        path.join(home, 'Work & Play', 'café app'),
        '/srv/work/payments-gateway',
      ].sort(),
    );
    const billing = report.projects.find((p) => p.path.endsWith('billing-service'));
    expect(billing).toEqual({
      path: path.join(home, 'IdeaProjects', 'billing-service'),
      open: true,
      lastActivated: 1735812000000,
      frameTitle: 'billing-service – InvoiceController.kt',
      source: {
        kind: 'jetbrains',
        product: 'IntelliJIdea',
        productName: 'IntelliJ IDEA',
        version: '2024.3',
        build: 'IU-243.22562.218',
        configDir: path.join(jetbrains, 'IntelliJIdea2024.3'),
      },
    });
    // Projects of IDEs that are not running are listed, closed.
    expect(report.projects.find((p) => p.path.endsWith(path.join('RiderProjects', 'Storefront')))?.open).toBe(false);
    // Entries that cannot be resolved are not projects.
    expect(report.projects.some((p) => p.path.includes('MYSTERY'))).toBe(false);
  });

  it('takes platform, environment and home from its options, not from this process', async () => {
    const other = await tempDir('detect-mac-');
    put(
      path.join(other, 'Library', 'Application Support', 'JetBrains', 'GoLand2024.3', 'options', 'recentProjects.xml'),
      fixture('macos/recentProjects.xml'),
    );
    const mac = await detectJetBrains({ platform: 'darwin', homedir: other, env: {} });
    expect(mac.ides.map((i) => [i.product, i.version])).toEqual([['GoLand', '2024.3']]);
    expect(mac.entries.map((e) => e.path)).toEqual([
      path.join(other, 'Développement', '日本語プロジェクト'),
      path.join(other, 'go', 'src', '🚀-launcher'),
    ]);
  });
});
