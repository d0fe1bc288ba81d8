import { defineCliCommand, CliError } from '../command.js';
import { findJob, jobs } from '../../../jobs/index.js';
import { runJob } from '../../scheduler/job.js';
import { t } from '../../i18n/index.js';

/** `jobs run <name> [--at <iso>]`: the scheduler's own code path, claimed once per period. */
export default defineCliCommand({
  name: 'jobs run',
  usage: t.cli.usages.jobsRun(jobs.map((j) => j.name)),
  async run(ctx, args) {
    const name = args[0];
    const job = name ? findJob(name) : undefined;
    if (!job) throw new CliError(t.cli.unknownJob(name ?? '', jobs.map((j) => j.name)));
    const atIdx = args.indexOf('--at');
    const at = atIdx >= 0 ? new Date(args[atIdx + 1] ?? '') : ctx.now;
    if (Number.isNaN(at.getTime())) throw new CliError(t.cli.badAt);
    const r = await runJob(ctx.deps, job, at);
    if (!r.claimed) return r.notDue ? t.cli.notDue(job.name, at.toISOString()) : t.cli.alreadyRan(job.name, r.period);
    const sent = await ctx.deps.delivery.drain();
    return t.cli.jobRan(job.name, r, sent.sent);
  },
});
