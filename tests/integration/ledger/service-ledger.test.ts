// The ledger inside the engine the app and `serve` run: requests through a pinned project's proxy
// reach the database and the snapshot's today totals; the setting turns recording off and on live;
// a damaged database found at start-up is set aside with one notice, which the window's usage view
// also lists.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInterceptorService } from '../../../electron/core/service/interceptor-service';
import type { InterceptorService, Notice } from '../../../electron/core/service/service-types';
import { startFakeLiteLlm, type FakeLiteLlm } from '../../helpers/fake-litellm';
import { claimPortRange } from '../../helpers/ports';
import { tempDir } from '../../helpers/temp';
import { waitFor } from '../../helpers/wait';

let litellm: FakeLiteLlm;
let service: InterceptorService;
let project: string;
const notices: Notice[] = [];

beforeAll(async () => {
  litellm = await startFakeLiteLlm();
  const dir = await tempDir();
  const configDir = path.join(dir, 'config');
  await mkdir(configDir);
  project = path.join(dir, 'alpha');
  await mkdir(project);
  // A database damaged before the engine starts.
  await writeFile(path.join(configDir, 'interceptor-usage.sqlite'), 'not a database at all '.repeat(100));
  const range = await claimPortRange();
  service = await createInterceptorService({
    kind: 'serve',
    env: { TARGET_LLM_URL: litellm.url, INTERCEPTOR_PORT_MIN: String(range.start), INTERCEPTOR_PORT_MAX: String(range.end), INTERCEPTOR_TRAY: 'off' },
    registryFile: path.join(configDir, 'port_registry.json'),
  });
  service.onNotice((notice) => notices.push(notice));
  await service.start();
});

afterAll(async () => {
  await service?.close({ graceMs: 100 });
  await litellm?.close();
});

async function chat(port: number): Promise<void> {
  const response = await fetch(`http://127.0.0.1:${port}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': 'claude-cli/2.1.197' },
    body: JSON.stringify({ model: 'gpt-test', messages: [] }),
  });
  expect(response.status).toBe(200);
  await response.arrayBuffer();
}

describe('the usage ledger in the service', () => {
  it('a damaged database found at start is set aside with one notice, also listed for the window', async () => {
    const ledgerNotices = notices.filter((notice) => notice.kind === 'usage-ledger');
    expect(ledgerNotices).toHaveLength(1);
    expect(ledgerNotices[0]?.message).toMatch(/was damaged: it was kept as .*\.corrupt-/);
    const usage = await service.handlers.getUsage(undefined);
    expect(usage.enabled).toBe(true);
    expect(usage.notices).toEqual([ledgerNotices[0]?.message]);
  });

  it("requests reach the database and the project's today totals in the snapshot", async () => {
    const state = await service.handlers.openProjectFolder({ path: project });
    await chat(state.port as number);
    await chat(state.port as number);
    const today = await waitFor('today totals', () => service.snapshot().projects.find((p) => p.project === state.project)?.usageToday, 10_000);
    expect(today).toMatchObject({ requests: 2, promptTokens: 2400, completionTokens: 680, cost: 0.0084 });
    const usage = await service.handlers.getUsage(undefined);
    expect(usage.projects).toEqual([expect.objectContaining({ project: state.project, name: 'alpha', today: expect.objectContaining({ requests: 2 }) })]);
    expect(usage.byClient).toEqual([expect.objectContaining({ key: 'claude-code', requests: 2 })]);
    expect(usage.recent).toHaveLength(2);
    expect(usage.days).toHaveLength(30);
  });

  it('turning recording off stops it at once; on again resumes it', async () => {
    const state = service.snapshot().projects.find((p) => p.name === 'alpha');
    await service.handlers.updateSettings({ usageLedger: false });
    expect((await service.handlers.getUsage(undefined)).enabled).toBe(false);
    await chat(state?.port as number);
    await service.handlers.updateSettings({ usageLedger: true });
    await chat(state?.port as number);
    await waitFor('the third request', async () => (await service.handlers.getUsage(undefined)).recent.length === 3, 10_000);
    // Give a wrongly recorded request time to show up: there must be exactly three.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect((await service.handlers.getUsage(undefined)).recent).toHaveLength(3);
  });
});
