// What `list`, `show` and `check` say about a port: served by Interceptor, busy, free, folder missing.
// A real HTTP server answers /_interceptor/health the way a running Interceptor proxy does.
import http from 'node:http';
import { mkdir, writeFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseJson } from '../../helpers/cli';
import { occupyPort } from '../../helpers/ports';
import { cliSession } from './cli-env';

// Each test spawns the CLI several times; on a loaded two-core machine that takes a while.
vi.setConfig({ testTimeout: 90_000 });

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function fakeInterceptor(port: number, project: string): Promise<void> {
  const server = http.createServer((req, res) => {
    if (req.url !== '/_interceptor/health') {
      res.statusCode = 404;
      res.end();
      return;
    }
    res.setHeader('content-type', 'application/json');
    res.end(
      JSON.stringify({
        service: 'litellm-interceptor',
        version: '0.1.0',
        project: { path: project, name: path.basename(project), slug: path.basename(project) },
        port,
        target: 'http://127.0.0.1:4000',
        upstream: { reachable: null },
        uptimeSeconds: 1,
      }),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject); // a taken port fails the test at once instead of hanging it
    server.listen(port, '127.0.0.1', resolve);
  });
  closers.push(() => new Promise((resolve) => server.close(() => resolve())));
}

async function busy(port: number): Promise<void> {
  const server = await occupyPort(port, '127.0.0.1');
  closers.push(() => new Promise((resolve) => server.close(() => resolve())));
}

describe('port status in list, show and check', () => {
  it('tells served, busy, free and missing-folder mappings apart', async () => {
    const s = await cliSession();
    const served = await s.folder('served');
    const taken = await s.folder('taken');
    const free = await s.folder('free');
    const missing = await s.folder('missing');
    const ports = { served: s.range.start + 1, taken: s.range.start + 2, free: s.range.start + 3, missing: s.range.start + 4 };
    await mkdir(path.dirname(s.registry), { recursive: true });
    await writeFile(
      s.registry,
      JSON.stringify(
        {
          version: '1.0',
          port_range: s.range,
          mappings: { [served]: ports.served, [taken]: ports.taken, [free]: ports.free, [missing]: ports.missing },
          next_available: s.range.start + 5,
        },
        null,
        2,
      ),
    );
    await rm(missing, { recursive: true });
    await fakeInterceptor(ports.served, served);
    await busy(ports.taken);

    const json = parseJson<{ mappings: Array<Record<string, unknown>> }>(await s.run(['list', '--json']));
    expect(json.mappings.map((m) => [m.project, m.status, m.folderExists, m.servedBy])).toEqual([
      [served, 'served', true, served],
      [taken, 'busy', true, null],
      [free, 'free', true, null],
      [missing, 'missing', false, null],
    ]);

    const table = (await s.run(['list'])).stdout;
    expect(table).toMatch(new RegExp(`${ports.served}\\s+served by Interceptor\\n`));
    expect(table).toMatch(new RegExp(`${ports.taken}\\s+busy \\(another program\\)\\n`));
    expect(table).toMatch(new RegExp(`${ports.free}\\s+free\\n`));
    expect(table).toMatch(new RegExp(`${ports.missing}\\s+folder missing\\n`));

    expect(parseJson(await s.run(['show', served, '--json']))).toMatchObject({ status: 'served' });
    expect((await s.run(['show', taken])).stdout).toBe(`${taken}: port ${ports.taken} (busy (another program))\nbase URL: http://127.0.0.1:${ports.taken}/v1\n`);
    expect((await s.run(['show', missing])).stdout).toBe(`${missing}: port ${ports.missing} (free, folder missing)\nbase URL: http://127.0.0.1:${ports.missing}/v1\n`);

    const checkServed = await s.run(['check', String(ports.served), '--json']);
    expect(checkServed.code).toBe(1);
    expect(parseJson(checkServed)).toMatchObject({
      listener: 'served',
      servedBy: { project: served, version: '0.1.0' },
      reasons: [`mapped to ${served}`, `served by Interceptor for ${served}`],
    });
  });

  it('check says an unmapped port in range is not usable while another program listens on it', async () => {
    const s = await cliSession();
    const port = s.range.start + 7;
    await busy(port);
    const result = await s.run(['check', String(port)]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(
      `port ${port} is not usable: in use by another program\n  in range ${s.range.start}-${s.range.end}: yes\n  reserved: no\n  mapped to: no project\n  listening: another program\n`,
    );
  });

  it('list names the other project when an Interceptor on a mapped port serves a different one', async () => {
    const s = await cliSession();
    const mine = await s.folder('mine');
    const { port } = parseJson<{ port: number }>(await s.run(['--json', 'allocate', mine]));
    await fakeInterceptor(port, '/somewhere/else');
    expect((await s.run(['list'])).stdout).toContain(`served by Interceptor for /somewhere/else`);
  });
});
