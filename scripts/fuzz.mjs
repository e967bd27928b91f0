// `npm run fuzz [seconds]`: the differential fuzzer (tests/differential/fuzz.test.ts) for a bounded
// time with a fresh seed, printed so a failure can be replayed: FUZZ_SEED=<seed> npm run fuzz.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const seconds = Number(process.argv[2] ?? process.env.FUZZ_SECONDS ?? 60);
if (!Number.isFinite(seconds) || seconds <= 0) {
  console.error(`fuzz: seconds must be a positive number, got ${process.argv[2] ?? process.env.FUZZ_SECONDS}`);
  process.exit(2);
}
// vitest's command-line entry (its package exports do not include it).
const vitest = fileURLToPath(new URL('../node_modules/vitest/vitest.mjs', import.meta.url));
const result = spawnSync(process.execPath, [vitest, 'run', 'tests/differential/fuzz.test.ts'], {
  stdio: 'inherit',
  env: { ...process.env, FUZZ_SECONDS: String(seconds) },
});
process.exit(result.status ?? 1);
