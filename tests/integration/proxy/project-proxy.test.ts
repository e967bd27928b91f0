// Starting a project's proxy on a port that is taken: the error says what holds it.
import { describe, expect, it } from 'vitest';
import { PortBusyError, startProjectProxy } from '../../../electron/core/proxy';
import { freePort, occupyPort } from '../../helpers/ports';
import { tempDir } from '../../helpers/temp';

describe('startProjectProxy', () => {
  it('serves the folder with its identity', async () => {
    const projectPath = await tempDir();
    const proxy = await startProjectProxy({ projectPath, port: 0, ide: { product: 'GoLand' } });
    try {
      expect(proxy.config().identity).toMatchObject({ projectPath, port: proxy.port, ide: { product: 'GoLand' } });
    } finally {
      await proxy.close();
    }
  });

  it('tells apart: this project already served, another project served, another program', async () => {
    const projectPath = await tempDir();
    const first = await startProjectProxy({ projectPath, port: 0 });
    try {
      const same = await startProjectProxy({ projectPath, port: first.port }).catch((e: unknown) => e);
      expect(same).toBeInstanceOf(PortBusyError);
      expect(same).toMatchObject({ code: 'PORT_IN_USE', port: first.port, busy: { kind: 'same-project' } });
      expect((same as Error).message).toBe(`port ${first.port} is already served for this project by another Interceptor`);

      const other = await startProjectProxy({ projectPath: await tempDir(), port: first.port }).catch((e: unknown) => e);
      expect(other).toMatchObject({ busy: { kind: 'other-project', health: { project: { path: projectPath } } } });
      expect((other as Error).message).toContain(`served by another Interceptor for ${projectPath}`);
    } finally {
      await first.close();
    }

    const port = await freePort();
    const holder = await occupyPort(port);
    try {
      const busy = await startProjectProxy({ projectPath, port }).catch((e: unknown) => e);
      expect(busy).toMatchObject({ busy: { kind: 'other-program', holder: { pid: process.pid } } });
      expect((busy as Error).message).toMatch(new RegExp(`^port ${port} is taken by .*pid ${process.pid}`));
    } finally {
      holder.close();
    }
  });
});
