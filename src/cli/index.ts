import { readFileSync } from 'node:fs';
import { parseConfig } from '../config.js';
import { createDb, type DbHandle } from '../../db/index.js';
import { lockDataDir } from '../server/lock.js';
import { buildDeps, type BuiltDeps } from '../server/build.js';
import { parseRoster } from '../roster/parse.js';
import { importRoster } from '../roster/import.js';
import { loadDemo } from '../demo/load.js';
import { jobs, findJob } from '../../jobs/index.js';
import { runJob } from '../scheduler/job.js';
import { localDateOf } from '../calendar/index.js';
import { loadSettings, saveCalendar } from '../server/settings.js';
import { parseCalendarFile } from '../calendar/index.js';
import { retryFailed } from '../delivery/outbox.js';
import { t } from '../i18n/index.js';

/**
 * `npm run cli -- <command>` (DESIGN.md §1). Every command applies migrations
 * first, prints one clear line on failure and exits non-zero.
 */
const jobNames = jobs.map((j) => j.name);
const USAGE = t.cli.usage(jobNames);

class CliError extends Error {}

async function open(): Promise<{ deps: BuiltDeps; handle: DbHandle; release: () => void }> {
  const parsed = parseConfig(process.env);
  if (!parsed.ok) throw new CliError(parsed.error);
  const config = parsed.config;
  let release = () => {};
  if (!config.DATABASE_URL) {
    const lock = lockDataDir(config.DATA_DIR);
    if (!lock.ok) {
      throw new CliError(t.cli.dataDirLocked(config.DATA_DIR, lock.pid));
    }
    release = lock.release;
  }
  const handle = await createDb({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, max: 2 });
  await handle.migrate();
  const settings = await loadSettings(handle.db);
  const deps = buildDeps(config, handle, { pollMs: 0, calendar: settings.calendar });
  return { deps, handle, release };
}

async function main(argv: string[]): Promise<string> {
  const [a, b, ...rest] = argv;
  const cmd = `${a ?? ''} ${b ?? ''}`.trim();
  const known = ['db migrate', 'roster import', 'calendar import', 'jobs run', 'demo load', 'outbox retry'];
  if (!known.includes(cmd)) throw new CliError(a ? t.cli.unknownCommand(cmd, USAGE) : USAGE);
  if ((cmd === 'roster import' || cmd === 'calendar import') && !rest[0]) throw new CliError(t.cli.missingFile(cmd));
  const readInput = (file: string) => {
    try {
      return readFileSync(file, 'utf8');
    } catch {
      throw new CliError(t.cli.unreadable(file));
    }
  };
  const input = rest[0] && (cmd === 'roster import' || cmd === 'calendar import') ? readInput(rest[0]) : '';
  const { deps, handle, release } = await open();
  try {
    const now = deps.clock.now();
    switch (cmd) {
      case 'db migrate':
        return t.cli.migrated(handle.kind);
      case 'roster import': {
        const parsed = parseRoster(input, localDateOf(now));
        if (!parsed.ok) throw new CliError(t.cli.rosterErrors(parsed.errors));
        return t.cli.rosterImported(await importRoster(deps.db, parsed.rows));
      }
      case 'calendar import': {
        let json: unknown;
        try {
          json = JSON.parse(input);
        } catch {
          throw new CliError(t.cli.calendarNotJson);
        }
        const parsed = parseCalendarFile(json);
        if (!parsed.ok) throw new CliError(t.cli.calendarErrors(parsed.errors));
        await saveCalendar(deps.db, parsed.calendar);
        return t.cli.calendarImported(parsed.calendar.name, parsed.calendar.terms.length, parsed.calendar.holidays.length);
      }
      case 'jobs run': {
        const name = rest[0];
        const job = name ? findJob(name) : undefined;
        if (!job) throw new CliError(t.cli.unknownJob(name ?? '', jobNames));
        const atIdx = rest.indexOf('--at');
        const at = atIdx >= 0 ? new Date(rest[atIdx + 1] ?? '') : now;
        if (Number.isNaN(at.getTime())) throw new CliError(t.cli.badAt);
        const r = await runJob(deps, job, at);
        if (!r.claimed) return t.cli.alreadyRan(job.name, r.period);
        const sent = await deps.delivery.drain();
        return t.cli.jobRan(job.name, r, sent.sent);
      }
      case 'demo load': {
        const r = await loadDemo(deps.db, now);
        return t.cli.demoLoaded(r.staff);
      }
      case 'outbox retry': {
        const n = await retryFailed(deps.db);
        return t.cli.retried(n);
      }
    }
    return USAGE;
  } finally {
    await deps.delivery.stop();
    await handle.close();
    release();
  }
}

main(process.argv.slice(2)).then(
  (msg) => {
    process.stdout.write(msg + '\n');
    process.exit(0);
  },
  (err) => {
    process.stderr.write((err instanceof CliError ? err.message : t.cli.failed(err instanceof Error ? err.message : String(err))) + '\n');
    process.exit(1);
  },
);
