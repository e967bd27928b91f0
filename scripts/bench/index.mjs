// `npm run bench`: every benchmark, one after the other, each printing its own report. Benchmarks
// print numbers; they never fail on them (performance is judged by reading, not asserted).
import { benchLedger } from './ledger.mjs';
import { benchLiteLlm } from './litellm.mjs';
import { benchPeerLookup } from './peer-lookup.mjs';
import { benchProxy } from './proxy.mjs';
import { benchRegistry } from './registry.mjs';
import { benchSupervisor } from './supervisor.mjs';

const benches = [
  ['proxy', benchProxy],
  ['ledger', benchLedger],
  ['litellm', benchLiteLlm],
  ['peer lookup', benchPeerLookup],
  ['registry', benchRegistry],
  ['supervisor', benchSupervisor],
];

let failed = false;
for (const [name, run] of benches) {
  console.log(`\n=== ${name} ===`);
  try {
    await run();
  } catch (error) {
    failed = true;
    console.error(`bench ${name} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
process.exitCode = failed ? 1 : 0;
