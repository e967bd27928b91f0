// A process that writes synthetic requests into a usage database through the real writer queue,
// for the multi-process and crash tests. Prints one JSON line per committed batch:
// {"committed": <rows so far>}, then {"done": true} after closing.
// Usage: ledger-worker.mjs FILE WORKER_ID COUNT [PAUSE_MS]
import type { RequestEntry } from '../../electron/core/proxy/proxy-stats';
import { UsageLedger } from '../../electron/core/ledger/usage-ledger';

const [file, workerId, countText, pauseText] = process.argv.slice(2);
const count = Number(countText);
const pauseMs = Number(pauseText ?? 0);

let committed = 0;
const ledger = new UsageLedger({
  file: file as string,
  flushMs: 5,
  onWritten: (rows) => {
    committed += rows.length;
    process.stdout.write(`${JSON.stringify({ committed })}\n`);
  },
  onNotice: (message) => process.stderr.write(`${message}\n`),
});

function entry(seq: number): RequestEntry {
  return {
    seq,
    at: Date.now(),
    method: 'POST',
    path: `/v1/chat/completions`,
    status: 200,
    durationMs: 12.5,
    ttfbMs: 3,
    streamed: false,
    bytesIn: 100,
    bytesOut: 200,
    model: `model-${seq % 3}`,
    project: `/work/worker-${workerId}`,
    attribution: 'port',
    client: 'openai-node',
  };
}

for (let seq = 1; seq <= count; seq += 1) {
  ledger.record(entry(seq));
  if (seq % 50 === 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
}
await ledger.close();
process.stdout.write(`${JSON.stringify({ done: true, committed })}\n`);
