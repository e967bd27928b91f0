// A vitest reporter that lists, after the run, every skipped test with the reason it was skipped,
// so "32 skipped" in the summary always comes with why (no Chromium, no Electron runtime, ...).
// The reason is ctx.skip(reason)'s note, or what a suite or test name says after "skipped:" (the
// house convention: describe.skipIf(reason)(`name — skipped: ${reason}`)). Tests skipped for no
// stated reason are counted on one line: in a full run that count should be 0.
import type { Reporter, TestCase, TestModule, Vitest } from 'vitest/node';

// "name (skipped: reason)" or "name — skipped: reason".
const REASON_IN_NAME = [/\(skipped: (.+)\)$/, /skipped: (.+)$/];

/** The reason a skipped test gives, from its note or the names of its suites and itself. */
export function skipReason(test: Pick<TestCase, 'name' | 'parent'> & { result(): { state: string; note?: string | undefined } }): string | undefined {
  const result = test.result();
  if (result.note) return result.note;
  let node: { name?: string; parent?: unknown; type?: string } | undefined = test;
  while (node && node.type !== 'module') {
    const name = node.name;
    const reason = name === undefined ? undefined : REASON_IN_NAME.map((pattern) => pattern.exec(name)?.[1]).find(Boolean);
    if (reason) return reason;
    node = node.parent as typeof node;
  }
  return undefined;
}

export default class SkipReasonsReporter implements Reporter {
  private log: (text: string) => void = (text) => process.stdout.write(`${text}\n`);

  onInit(vitest: Vitest): void {
    this.log = (text) => vitest.logger.log(text);
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const byReason = new Map<string, number>();
    let unexplained = 0;
    for (const testModule of testModules) {
      for (const test of testModule.children.allTests()) {
        const result = test.result();
        if (result.state !== 'skipped') continue;
        const reason = skipReason(test);
        if (reason === undefined) {
          unexplained += 1;
          continue;
        }
        const key = `${testModule.relativeModuleId}: ${reason}`;
        byReason.set(key, (byReason.get(key) ?? 0) + 1);
      }
    }
    if (byReason.size === 0 && unexplained === 0) return;
    const lines = [...byReason].sort(([a], [b]) => a.localeCompare(b)).map(([key, count]) => `  ${key} (${count} ${count === 1 ? 'test' : 'tests'})`);
    if (unexplained > 0) lines.push(`  ${unexplained} more skipped without a stated reason (filtered out by name or file, or .skip/.todo with no reason)`);
    this.log(`\nSkipped, and why:\n${lines.join('\n')}`);
  }
}
