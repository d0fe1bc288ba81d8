import { parseArgs } from 'node:util';
import { defineCliCommand, CliError } from '../command.js';
import { findJob, jobs } from '../../../jobs/index.js';
import { runByHand } from '../../scheduler/manual.js';
import { t } from '../../i18n/index.js';

function options(args: string[]) {
  try {
    return parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: { at: { type: 'string' }, 'dry-run': { type: 'boolean' }, force: { type: 'boolean' } },
    });
  } catch (err) {
    throw new CliError(t.cli.badJobsOption(err instanceof Error ? err.message : String(err)));
  }
}

/**
 * `jobs run <name> [--at <iso>] [--dry-run] [--force]`: the scheduler's own code
 * path. It runs only what is due at `--at` (default now), within the job's
 * catch-up window; otherwise it says when the job runs next and changes
 * nothing. `--dry-run` lists who would get what; `--force` claims the period early.
 */
export default defineCliCommand({
  name: 'jobs run',
  usage: t.cli.usages.jobsRun(jobs.map((j) => j.name)),
  async run(ctx, args) {
    const { values, positionals } = options(args);
    const [name, ...extra] = positionals;
    const job = name ? findJob(name) : undefined;
    if (!job)
      throw new CliError(
        t.cli.unknownJob(
          name ?? '',
          jobs.map((j) => j.name),
        ),
      );
    if (extra.length) throw new CliError(t.cli.badJobsOption(extra.join(' ')));
    const at = values.at !== undefined ? new Date(values.at) : ctx.now;
    if (Number.isNaN(at.getTime())) throw new CliError(t.cli.badAt);
    const r = await runByHand(ctx.deps, job, at, { force: values.force, dryRun: values['dry-run'] });
    switch (r.kind) {
      case 'notDue':
        return t.cli.notDue(job.name, r.next);
      case 'alreadyRan':
        return t.cli.alreadyRan(job.name, r.period, r.next);
      case 'dryRun':
        return t.cli.dryRun(job.name, r);
      case 'ran':
        return t.cli.jobRan(job.name, r.run, (await ctx.deps.delivery.drain()).sent);
      case 'forced':
        return t.cli.forced(job.name, r.run, (await ctx.deps.delivery.drain()).sent, r.scheduled);
    }
  },
});
