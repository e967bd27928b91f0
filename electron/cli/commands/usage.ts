// `interceptor usage`: what each project (model, client, day) spent, from the local usage ledger.
// Reads the daily totals, so a month's summary over a million requests answers in milliseconds.
// `--reconcile` compares a day's per-project totals with LiteLLM's own spend per `project:` tag.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { CliContext, Command } from '../command';
import { ExitCode } from '../command';
import { formatTable, writeJson, writeLine, writeWarning } from '../output';
import { registryOptionsFromContext } from '../registry-from-context';
import { parseVerbArgs } from '../verb-args';
import { InterceptorError } from '../../core/errors';
import { ledgerPathFor } from '../../core/ledger/ledger-paths';
import { UNATTRIBUTED_PROJECT } from '../../core/ledger/ledger-row';
import { summarize, type SummaryKey, type SummaryRow, type Totals } from '../../core/ledger/ledger-queries';
import { LedgerStore } from '../../core/ledger/ledger-store';
import { daysBefore, localDay } from '../../core/ledger/local-day';
import { reconcile, utcDay, type ReconcileResult } from '../../core/ledger/reconcile';
import { normalizeProjectPath } from '../../core/registry/index';
import { effectiveSettings, plainSettings } from '../../core/settings/effective-settings';
import { readStoredSettings } from '../../core/settings/read-settings';
import { costText, formatCount } from '../../../shared/usage';

const BY: readonly SummaryKey[] = ['project', 'model', 'client', 'day'];
const MAX_DAYS = 3650;

/** `7d`, `30d`, `today`, `all` → the first local day included. */
export function sinceDay(text: string, now: number): string {
  const value = text.trim().toLowerCase();
  if (value === 'today') return localDay(now);
  if (value === 'all') return '0000-00-00';
  const match = /^(\d{1,4})d$/.exec(value);
  const days = match ? Number(match[1]) : NaN;
  if (!Number.isInteger(days) || days < 1 || days > MAX_DAYS) {
    throw new InterceptorError('INVALID_ARGUMENT', `usage: --since must be a number of days like 7d or 30d (1d–${MAX_DAYS}d), "today" or "all" (got "${text}")`);
  }
  return daysBefore(now, days - 1);
}

function addUp(rows: readonly Totals[]): Totals {
  const total: Totals = { requests: 0, errors: 0, promptTokens: 0, completionTokens: 0, cachedTokens: 0, cost: 0, estimatedCost: 0, unpriced: 0 };
  for (const row of rows) {
    for (const key of Object.keys(total) as Array<keyof Totals>) total[key] += row[key];
  }
  total.cost = Math.round(total.cost * 1e10) / 1e10;
  total.estimatedCost = Math.round(total.estimatedCost * 1e10) / 1e10;
  return total;
}

function csvCell(value: string | number): string {
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function label(row: SummaryRow, by: SummaryKey): string {
  if (by !== 'project') return row.key;
  if (row.key === UNATTRIBUTED_PROJECT) return '(unattributed: the IDE port could not tell the project)';
  return `${path.basename(row.key) || row.key}  (${row.key})`;
}

/** The settings in force, read without the settings store (see read-settings.ts: start-up time). */
function settingsOf(ctx: CliContext, registryFile: string) {
  return plainSettings(effectiveSettings(readStoredSettings(path.dirname(registryFile)), ctx.env).values);
}

function printReconcile(ctx: CliContext, result: ReconcileResult): number {
  if (ctx.globals.json) {
    writeJson(ctx.stdout, result);
    return result.status === 'compared' ? ExitCode.ok : ExitCode.negative;
  }
  if (result.status !== 'compared') {
    writeLine(ctx.stdout, `${result.day} (UTC): not compared: ${result.message}`);
    return ExitCode.negative;
  }
  if (result.rows.length === 0) {
    writeLine(ctx.stdout, `${result.day} (UTC): neither the ledger nor LiteLLM has spend for a project: tag`);
    return ExitCode.ok;
  }
  const money = (value: number) => `$${value.toFixed(6)}`;
  writeLine(
    ctx.stdout,
    formatTable(
      ['TAG', 'LEDGER', 'LITELLM', 'DIFFERENCE', 'REQUESTS (LEDGER/LITELLM)'],
      result.rows.map((row) => [row.tag, money(row.ledgerCost), money(row.litellmCost), money(row.difference), `${row.ledgerRequests}/${row.litellmRequests ?? '?'}`]),
    ),
  );
  writeLine(ctx.stdout, `${result.day} (UTC day, as LiteLLM groups its spend logs).`);
  return ExitCode.ok;
}

export const usageCommand: Command = {
  name: 'usage',
  help: `Usage: interceptor usage [--since 7d] [--by project|model|client|day] [--project PATH] [--json] [--csv]
       interceptor usage --reconcile [--date YYYY-MM-DD] [--json]

What your projects spent, from the local usage ledger (interceptor-usage.sqlite beside the
registry): requests, errors, input/output/cached tokens and cost, per project (default), model,
client or day, with a total. Costs come from LiteLLM's response headers; where LiteLLM sent none
(streams), they are estimated from the tokens and LiteLLM's /model/info prices and shown with "~";
"+" means some requests have no known price.

Options:
  --since N d|today|all  how far back, in local days including today (default 7d)
  --by KEY               group by project, model, client or day
  --project PATH         only this project folder
  --csv                  comma-separated values with raw numbers (cost in dollars)
  --json                 one JSON document (see docs/cli-json.md)
  --reconcile            compare a day's per-project totals with LiteLLM's spend per project: tag
                         (GET /global/spend/tags; needs LiteLLM's database and a key that may read
                         spend: LITELLM_ADMIN_KEY, else the configured API key). Exit 1 when it
                         cannot compare, saying why.
  --date YYYY-MM-DD      the UTC day to reconcile (default: today, UTC)`,

  async run(ctx) {
    const { values } = parseVerbArgs(
      'usage',
      ctx.args,
      { since: { type: 'string' }, by: { type: 'string' }, project: { type: 'string' }, csv: { type: 'boolean' }, reconcile: { type: 'boolean' }, date: { type: 'string' } },
      { max: 0, what: '' },
    );
    const now = Date.now();
    const by = (values.by ?? 'project') as SummaryKey;
    if (!BY.includes(by)) throw new InterceptorError('INVALID_ARGUMENT', `usage: --by must be one of ${BY.join(', ')} (got "${values.by}")`);
    if (values.csv && ctx.globals.json) throw new InterceptorError('INVALID_ARGUMENT', 'usage: choose one of --csv and --json');
    if (values.date !== undefined && !values.reconcile) throw new InterceptorError('INVALID_ARGUMENT', 'usage: --date goes with --reconcile');
    if (values.date !== undefined && (!/^\d{4}-\d{2}-\d{2}$/.test(values.date) || Number.isNaN(Date.parse(`${values.date}T00:00:00Z`)))) {
      throw new InterceptorError('INVALID_ARGUMENT', `usage: --date must be a day like 2026-12-07 (got "${values.date}")`);
    }
    const since = sinceDay(values.since ?? '7d', now);
    const project = values.project === undefined ? undefined : await normalizeProjectPath(values.project, ctx.cwd);
    const registryFile = registryOptionsFromContext(ctx).file;
    const file = ledgerPathFor(registryFile);
    const settings = settingsOf(ctx, registryFile);
    if (!settings.usageLedger) writeWarning(ctx.stderr, 'usage recording is off in the settings (usageLedger): these are the totals recorded before');

    const store = existsSync(file) || values.reconcile ? new LedgerStore({ file, onSetAside: (_file, aside) => writeWarning(ctx.stderr, `the usage database ${file} was damaged: it was kept as ${aside} and a new one was started`) }) : undefined;
    try {
      if (values.reconcile) {
        const key = ctx.env.LITELLM_ADMIN_KEY?.trim() || settings.apiKey || undefined;
        const result = await reconcile((store as LedgerStore).db, { target: settings.targetUrl, key, day: values.date ?? utcDay(now) });
        return printReconcile(ctx, result);
      }
      const rows = store === undefined ? [] : summarize(store.db, { sinceDay: since, by, ...(project === undefined ? {} : { project }) });
      const total = addUp(rows);
      if (ctx.globals.json) {
        writeJson(ctx.stdout, { file, since, until: localDay(now), by, ...(project === undefined ? {} : { project }), rows, total });
        return ExitCode.ok;
      }
      if (values.csv) {
        const header = [by, 'requests', 'errors', 'prompt_tokens', 'completion_tokens', 'cached_tokens', 'cost', 'estimated_cost', 'unpriced'];
        const lines = [header.join(',')];
        for (const row of rows) {
          lines.push([row.key, row.requests, row.errors, row.promptTokens, row.completionTokens, row.cachedTokens, row.cost, row.estimatedCost, row.unpriced].map(csvCell).join(','));
        }
        ctx.stdout.write(`${lines.join('\n')}\n`);
        return ExitCode.ok;
      }
      if (rows.length === 0) {
        writeLine(ctx.stdout, store === undefined ? `No usage recorded yet (${file}).` : `No usage since ${since}${project ? ` for ${project}` : ''}.`);
        return ExitCode.ok;
      }
      const cells = (row: Totals) => [String(row.requests), String(row.errors), formatCount(row.promptTokens), formatCount(row.completionTokens), formatCount(row.cachedTokens), costText(row)];
      const table = formatTable(
        [by.toUpperCase(), 'REQUESTS', 'ERRORS', 'INPUT', 'OUTPUT', 'CACHED', 'COST'],
        [...rows.map((row) => [label(row, by), ...cells(row)]), ['total', ...cells(total)]],
      );
      writeLine(ctx.stdout, table);
      const notes = [`since ${since}${project ? `, ${project}` : ''}`];
      if (total.estimatedCost > 0) notes.push('~ part estimated from tokens × LiteLLM prices');
      if (total.unpriced > 0) notes.push(`+ ${total.unpriced} request(s) without a known price`);
      writeLine(ctx.stdout, notes.join('; '));
      return ExitCode.ok;
    } finally {
      store?.close();
    }
  },
};
