import type { CheckResult } from '../../core/contract/domain-schemas.js';
import type { OperationOutput } from '../../core/contract/operations.js';
import { keyHealth } from '../../core/service/health-model.js';
import { CliError, CommandOutput, TableLayout, table, terminalText } from '../output.js';
import { call, withStoreOwner } from '../context.js';
import { checkText, headroomText, healthCountsText } from '../health-text.js';
import type { ExtraCommand } from './extra.js';

/** One row per checked key: its health word and outcome, its headroom when any check reported some, what to do. */
function resultTable(results: CheckResult[], keyNames: Map<string, string>): string {
  const withHeadroom = results.some((r) => headroomText(r.headroom) !== '');
  const rows = results.map((r) => [
    r.key_id ? (keyNames.get(r.key_id) ?? r.key_id) : '(keyless)',
    checkText(r, keyHealth(r)),
    ...(withHeadroom ? [headroomText(r.headroom)] : []),
    // The message already ends with its hint; a check that could not prove the key says what would.
    r.ok && r.error_class !== 'unsupported' ? '' : r.message,
  ]);
  return table(['KEY', 'RESULT', ...(withHeadroom ? ['HEADROOM'] : []), 'DETAILS'], rows);
}

/** `provider-desk test <name> | --all`: exit 1 when any check fails. */
const test: ExtraCommand = {
  name: 'test',
  usage: 'test <name> | --all',
  summary: 'Test a provider (or every enabled one) now',
  async run(args, flags, io) {
    const [name] = args;
    if (!name && !flags.all)
      throw new CliError('Usage: provider-desk test <name> [--deep --model m] | provider-desk test --all [--concurrency n]', 2);
    return withStoreOwner(flags, io, async (desk) => {
      if (flags.all) {
        const concurrency = flags.concurrency ? Number(flags.concurrency) : undefined;
        const runId = `cli-${process.pid}-${Date.now()}`;
        // Ctrl+C cancels the run (in this process or in the app that owns the store), which then answers with what it
        // finished; a second Ctrl+C quits at once.
        const cancel = () => {
          process.off('SIGINT', cancel);
          io.err('Cancelling… (Ctrl+C again to quit at once)');
          void desk.dispatch('providers.testAllCancel', { run_id: runId }, { transport: 'cli' });
        };
        process.on('SIGINT', cancel);
        let summary: OperationOutput<'providers.testAll'>;
        try {
          summary = await call(desk, 'providers.testAll', { concurrency, run_id: runId }, (event) =>
            io.err(
              terminalText(
                `[${event.done}/${event.total}] ${event.provider.name}: ${event.health}${event.ok ? '' : ` — ${event.results.find((r) => !r.ok)?.message ?? ''}`}`,
                { oneLine: true },
              ),
            ),
          );
        } finally {
          process.off('SIGINT', cancel);
        }
        if (flags.json) io.out(JSON.stringify(summary, null, 2));
        else {
          const notTested = summary.not_tested > 0 ? `, ${summary.not_tested} not tested` : '';
          const how = summary.cancelled ? 'Cancelled: ' : '';
          io.out(
            `${how}${summary.passed} passed, ${summary.failed} failed${notTested} of ${summary.total} providers in ${summary.duration_ms} ms`,
          );
          io.out(healthCountsText(summary.by_health));
          const causes = Object.entries(summary.by_cause).map(([cause, count]) => `${cause} ${count}`);
          if (causes.length > 0) io.out(`failed by cause: ${causes.join(' · ')}`);
        }
        if (summary.cancelled) return 130;
        return summary.failed === 0 ? 0 : 1;
      }
      const provider = await call(desk, 'providers.get', { idOrName: name });
      const outcome = await call(desk, 'providers.test', { idOrName: name, deep: flags.deep, model: flags.model });
      if (flags.json) io.out(JSON.stringify(outcome, null, 2));
      else {
        const names = new Map(provider.api_keys.map((k) => [k.id, k.name]));
        io.out(resultTable(outcome.results, names));
        io.out(terminalText(`${provider.name}: ${outcome.health}`, { oneLine: true }));
      }
      return outcome.ok ? 0 : 1;
    });
  },
};

/** Model lines written at a time. */
const MODELS_PAGE = 1000;

/** A model's state as the Models tab shows it: offered (on), turned off by the user, or no longer listed (gone). */
function modelState(model: { enabled: boolean; custom: boolean; gone_at: string | null }): string {
  if (model.gone_at) return 'gone';
  const state = model.enabled ? 'on' : 'off';
  return model.custom ? `${state}, added` : state;
}

/** `provider-desk models <name> [--refresh]`: the provider's models with capabilities and whether each is offered. */
const models: ExtraCommand = {
  name: 'models',
  usage: 'models <name> [--refresh]',
  summary: "List a provider's models",
  async run(args, flags, io) {
    const [name] = args;
    if (!name) throw new CliError('Usage: provider-desk models <name> [--refresh]', 2);
    const output = new CommandOutput(io);
    await withStoreOwner(flags, io, async (desk) => {
      const list = await call(desk, flags.refresh ? 'models.refresh' : 'models.list', { idOrName: name });
      if (flags.json) return output.write(JSON.stringify(list, null, 2));
      const rows = list.models.map((m) => [
        m.id,
        m.capabilities.join(','),
        m.context_window ? String(m.context_window) : '',
        m.owned_by ?? '',
        modelState(m),
      ]);
      const layout = new TableLayout(['MODEL', 'CAPABILITIES', 'CONTEXT', 'OWNER', 'STATE'], rows);
      await output.write(layout.head());
      for (let start = 0; start < rows.length && output.open; start += MODELS_PAGE) {
        await output.write(
          rows
            .slice(start, start + MODELS_PAGE)
            .map((row) => layout.line(row))
            .join('\n'),
        );
      }
      const offered = list.models.filter((m) => m.enabled && !m.gone_at).length;
      const summary = offered === list.models.length ? `${list.models.length} models` : `${list.models.length} models (${offered} on)`;
      await output.write(`${summary}${list.fetched_at ? `, fetched ${list.fetched_at}` : ''}`);
    });
    output.finish();
    return 0;
  },
};

export const PROBE_COMMANDS: ExtraCommand[] = [test, models];
