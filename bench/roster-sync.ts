/**
 * `roster sync` of a city directory (1 000 schools in 20 townships, 100 000
 * people, 100 a school, half of each in a 年级组 sub-department) against the
 * fake Lark enforcing Lark's contact limits (1000/min and 50/s per app, a
 * sliding window: the strictest reading), with the real SDK, in real time.
 * The ideal is the time 1000/min allows for the calls the sync needs
 * (calls / 1000 minutes); the target is within 1.2× of it, every person
 * imported, no 429. BENCH_ROSTER_SCHOOLS scales it down for a quick look.
 * Only 127.0.0.1.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshPostgresDatabase } from '../test/helpers/db.js';
import type { Section, SummaryLine } from './lib/types.js';

const PER_SCHOOL = 100;
const TOWNSHIPS = 20;
const TARGET = 1.2;

export interface RosterSyncResult {
  db: 'pglite' | 'postgres';
  schools: number;
  people: number;
  imported: number;
  calls: number;
  rateLimited: number;
  /** Walking the directory (all the calls), and the whole sync (walk + import). */
  walkS: number;
  totalS: number;
  idealS: number;
  ratio: number;
}

export const rosterSyncSection: Section = {
  name: 'roster-sync',
  describe: 'roster sync of a city directory (1 000 schools, 100 000 people) under Lark’s 1000/min contact limit',
  async run(opts, log) {
    const schools = Number(process.env.BENCH_ROSTER_SCHOOLS ?? 1000);
    const { startFakeLark } = await import('../test/fakes/lark-server.js');
    const { createDb } = await import('../db/index.js');
    const { createLarkClient } = await import('../src/lark/client.js');
    const { larkOrgDirectory } = await import('../src/lark/org.js');
    const { syncRoster } = await import('../src/roster/index.js');
    const { checkMapping } = await import('../src/roster/mapping.js');
    const { saveRosterMap } = await import('../src/roster/store.js');
    const { createLogger } = await import('../src/logger.js');

    const fake = await startFakeLark();
    const dataDir = opts.pgUrl ? undefined : mkdtempSync(join(tmpdir(), 'duxue-bench-roster-'));
    const databaseUrl = opts.pgUrl ? await freshPostgresDatabase(opts.pgUrl, 'duxue_bench_roster') : undefined;
    const handle = await createDb({ databaseUrl, dataDir });
    try {
      await handle.migrate();
      const org = fake.org;
      org.addDepartment({ id: 'od-city', name: '基准市教育局', parentId: '0' });
      const townships = Array.from({ length: TOWNSHIPS }, (_, i) => ({ department: `od-t${i}`, name: `乡镇${i}`, schools: 'children' as const }));
      for (const t of townships) org.addDepartment({ id: t.department, name: t.name, parentId: 'od-city' });
      let n = 0;
      const users = [];
      for (let s = 0; s < schools; s++) {
        const id = `od-s${s}`;
        org.addDepartment({ id, name: `基准第${s + 1}学校`, parentId: `od-t${s % TOWNSHIPS}`, customId: `S${String(s).padStart(4, '0')}` });
        org.addDepartment({ id: `${id}g`, name: '年级组', parentId: id });
        for (let i = 0; i < PER_SCHOOL; i++)
          users.push({ openId: `ou_b${n++}`, name: `教师${n}`, departmentIds: [i % 2 ? `${id}g` : id], jobTitle: i === 0 ? '校长' : '教师' });
      }
      org.addUser(...users);
      org.freeze();
      const checked = checkMapping({
        bureau: { department: 'od-city', code: 'CITY', name: '基准市教育局' },
        townships,
        roles: {
          jobTitle: [
            { match: '校长', roles: ['校长'] },
            { match: '教师', roles: ['专任教师'] },
          ],
        },
      });
      if (!checked.ok) throw new Error(checked.errors.join('\n'));
      await saveRosterMap(handle.db, { ...checked.map, exceptions: [] });
      // Lark's contact limits, as its gateway counts them.
      org.limit([
        { max: 1000, ms: 60_000 },
        { max: 50, ms: 1000 },
      ]);
      const logger = createLogger('warn');
      const client = createLarkClient({ appId: 'cli_bench', appSecret: 'secret', domain: fake.url }, logger);
      const directory = larkOrgDirectory(client, { logger });
      // Time the walk on its own too: the directory's calls, as they are made.
      let walkEnd = 0;
      const timed = {
        ...directory,
        members: async (id: string) => {
          const r = await directory.members(id);
          walkEnd = Date.now();
          return r;
        },
      };
      log(`  ${schools} schools, ${users.length} people; syncing under 1000/min (about ${Math.ceil((schools * 2.06) / 1000)} minutes)…`);
      const started = Date.now();
      const report = await syncRoster({ db: handle.db, clock: { now: () => new Date() }, logger }, timed);
      const totalS = (Date.now() - started) / 1000;
      if (!report.ok) throw new Error(`sync failed: ${report.reason}`);
      const walkS = (walkEnd - started) / 1000;
      const idealS = (report.calls / 1000) * 60;
      const result: RosterSyncResult = {
        db: handle.kind,
        schools,
        people: users.length,
        imported: report.summary.created,
        calls: report.calls,
        rateLimited: report.rateLimited,
        walkS,
        totalS,
        idealS,
        ratio: totalS / idealS,
      };
      log(`  ${JSON.stringify(result)}`);
      const ok = result.imported === result.people && result.ratio <= TARGET;
      const summary: SummaryLine[] = [
        {
          label: `roster sync ${schools} schools / ${users.length} people (${handle.kind})`,
          text: `${report.calls} calls, ${report.rateLimited} × 429; walk ${walkS.toFixed(1)} s, whole sync ${totalS.toFixed(1)} s; ideal at 1000/min ${idealS.toFixed(1)} s (×${result.ratio.toFixed(2)}, target ≤ ×${TARGET}); ${result.imported} imported`,
          verdict: ok ? 'PASS' : 'FAIL',
        },
      ];
      return { summary, data: result };
    } finally {
      await handle.close();
      await fake.close();
      if (dataDir && !opts.keep) rmSync(dataDir, { recursive: true, force: true });
    }
  },
};
