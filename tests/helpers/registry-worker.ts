// A small registry client run as a separate process by the concurrency and crash tests (bundled by
// build-once.ts). It reads its registry and range from the environment like the CLI does, and
// reports each operation as one JSON line on stdout, so a test can tell what was committed before
// it killed the process.
//   rounds <id> <base>              on each stdin line N: allocate <base>/round-N/worker-<id>
//   storm <id> <base> <ops> <seed>  after a "go" line on stdin: random allocate/remove of its own
//                                   projects, <ops> times (started ahead, released together)
//   hold-lock                       take the registry lock and keep it until killed
import path from 'node:path';
import { createInterface } from 'node:readline';
import { isInterceptorError } from '../../electron/core/errors';
import { openRegistry, registryOptionsFrom } from '../../electron/core/registry/index';
import { withRegistryLock } from '../../electron/core/registry/registry-lock';

function emit(record: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(record)}\n`);
}

function failure(error: unknown): Record<string, unknown> {
  return { error: { code: isInterceptorError(error) ? error.code : 'UNEXPECTED', message: String((error as Error)?.message ?? error) } };
}

/** Deterministic per seed, so a failing storm can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x100000000;
  };
}

const [mode, id = '0', base = '/tmp', opsText = '100', seedText = '1'] = process.argv.slice(2);
const registry = openRegistry(registryOptionsFrom(process.env));

if (mode === 'rounds') {
  emit({ ready: true });
  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    const round = line.trim();
    if (round === 'exit') {
      lines.close();
      return;
    }
    const project = path.join(base, `round-${round}`, `worker-${id}`);
    registry.allocate(project).then(
      (result) => emit({ round: Number(round), id, ...result }),
      (error) => emit({ round: Number(round), id, project, ...failure(error) }),
    );
  });
} else if (mode === 'storm') {
  const next = random(Number(seedText));
  const mine: string[] = [];
  let counter = 0;
  emit({ ready: true });
  await new Promise<void>((resolve) => {
    const lines = createInterface({ input: process.stdin });
    lines.once('line', () => {
      lines.close();
      process.stdin.destroy(); // a paused stdin pipe would keep the process alive after the storm
      resolve();
    });
  });
  for (let op = 0; op < Number(opsText); op += 1) {
    try {
      if (mine.length > 0 && next() < 0.4) {
        const index = Math.floor(next() * mine.length);
        const project = mine.splice(index, 1)[0] as string;
        emit({ phase: 'begin', op: 'remove', project });
        const removed = await registry.remove({ project });
        emit({ phase: 'done', op: 'remove', project, port: removed?.port ?? null });
      } else {
        const project = path.join(base, `w${id}-${counter}`);
        counter += 1;
        emit({ phase: 'begin', op: 'allocate', project });
        const result = await registry.allocate(project);
        mine.push(project);
        emit({ phase: 'done', op: 'allocate', project, port: result.port });
      }
    } catch (error) {
      emit({ phase: 'failed', ...failure(error) });
      process.exitCode = 1;
      break;
    }
  }
} else if (mode === 'hold-lock') {
  // The lock's own refresh timer is unref'd: keep the process alive until the test kills it.
  setInterval(() => undefined, 60_000);
  await withRegistryLock(registry.file, async () => {
    emit({ locked: true, pid: process.pid });
    await new Promise(() => undefined);
  });
} else {
  process.stderr.write(`unknown mode ${mode}\n`);
  process.exitCode = 2;
}
