import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createDb, defaultMigrationsFolder, type DbHandle } from '../../db/index.js';
import { staff, staffHistory } from '../../db/schema/index.js';
import { localDateOf, weekByKey, weekOf } from '../../src/calendar/index.js';
import { dbKindUnderTest, freshPostgresDatabase } from '../helpers/db.js';
import { openIdOf, PEOPLE, readFigures, seedPreHistory, WEEKS, type Figures } from './pre-history.js';

/**
 * Migration 0010 (the roster's history) on a database from before it: the
 * county of ./pre-history.ts written at 0009, upgraded as `npm start` or the
 * CLI would, then read again. `pre-history.figures.json` is what the code of
 * that time read from the same rows (./pre-history.ts, run on it).
 */
const dir = mkdtempSync(join(tmpdir(), 'duxue-migration-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** db/migrations as it was before 0010. */
function migrationsUpTo0009(): string {
  const folder = join(dir, 'migrations');
  mkdirSync(join(folder, 'meta'), { recursive: true });
  const journal = JSON.parse(readFileSync(join(defaultMigrationsFolder, 'meta', '_journal.json'), 'utf8'));
  journal.entries = journal.entries.filter((e: { idx: number }) => e.idx <= 9);
  writeFileSync(join(folder, 'meta', '_journal.json'), JSON.stringify(journal));
  for (const f of readdirSync(defaultMigrationsFolder)) if (/^000\d_.*\.sql$/.test(f)) copyFileSync(join(defaultMigrationsFolder, f), join(folder, f));
  return folder;
}

/**
 * The same database opened twice: at 0009 to write the old rows, then as the current code opens it.
 * On PGlite it starts as a copy of the run's cluster from before any migration (test/helpers/global-setup.ts), not an initdb of its own.
 */
async function databaseAt(migrationsFolder?: string, url?: string): Promise<DbHandle> {
  const dataDir = join(dir, 'pglite');
  if (!url && !existsSync(dataDir)) cpSync(inject('pgliteBareDir'), dataDir, { recursive: true });
  const h = await createDb(url ? { databaseUrl: url, max: 2, migrationsFolder } : { dataDir, migrationsFolder });
  await h.migrate();
  return h;
}

/** The Monday of an instant's week in Asia/Shanghai. */
const mondayOf = (iso: string) => weekOf(localDateOf(new Date(iso))).start;

describe(`migration 0010: the roster's history (${dbKindUnderTest})`, () => {
  it("upgrades a database from before it, and every figure reads as before from each person's created_at", async () => {
    const base = process.env.TEST_DATABASE_URL;
    const url = base ? await freshPostgresDatabase(base, 'duxue_test_migration') : undefined;
    const old = await databaseAt(migrationsUpTo0009(), url);
    await seedPreHistory(old.db);
    await old.close();
    const handle = await databaseAt(undefined, url);
    try {
      // Everyone active starts in the week of their created_at in Shanghai, as they are; 甲离职 (inactive) gets no span.
      const spans = await handle.db
        .select({ name: staff.name, fromWeek: staffHistory.fromWeek, untilWeek: staffHistory.untilWeek, roles: staffHistory.roles })
        .from(staffHistory)
        .innerJoin(staff, eq(staff.id, staffHistory.staffId));
      expect(Object.fromEntries(spans.map((s) => [s.name, s.fromWeek]))).toEqual({
        周局长: '2026-10-26',
        甲书记: '2026-10-26',
        甲校长: '2026-10-19', // Sunday 23:30 in Shanghai: the week before
        甲主任: '2026-10-26', // Monday 00:30 in Shanghai, still Sunday in UTC
        甲老师一: '2026-10-26',
        甲老师二: '2026-10-26',
        甲新人: '2026-11-09',
        乙校长: '2026-10-26',
        乙老师: '2026-10-26',
        乙教师二: '2026-10-26',
      });
      expect(spans.every((s) => s.untilWeek === null)).toBe(true);

      const before = JSON.parse(readFileSync(new URL('./pre-history.figures.json', import.meta.url), 'utf8')) as Figures;
      const after = await readFigures(handle);
      const startOf = new Map(PEOPLE.map((p) => [p.name, mondayOf(p.created)]));
      // Each week's export: the same rows, less the people not yet created that week (甲新人 before W46).
      for (const week of WEEKS) {
        const monday = weekByKey(week)!.start;
        expect(after.reports[week], week).toEqual(before.reports[week]!.filter((r) => startOf.get(r.name!)! <= monday));
      }
      expect(after.reports['2026-W44']!.map((r) => r.name)).not.toContain('甲新人');
      expect(after.reports['2026-W46']!.map((r) => r.name)).toContain('甲新人');

      // The Monday digest of W48 goes to the same people with the same numbers and ranking; its trend is the same
      // from the week the last of its people was created (M1: 甲新人, W46; M2: W44; the bureau: W46).
      expect(Object.keys(after.digests).sort()).toEqual(Object.keys(before.digests).sort());
      const trendFrom = (openId: string) => {
        const p = PEOPLE.find((x) => openIdOf(x) === openId)!;
        return p.school === 'M2' ? '10/26' : '11/9';
      };
      for (const [openId, was] of Object.entries(before.digests)) {
        const now = after.digests[openId]!;
        expect(now.fields, openId).toEqual(was.fields);
        expect(now.charts.length).toBe(was.charts.length);
        was.charts.forEach((c: any, i) => {
          const n = now.charts[i] as any;
          // A bar's figure is its label and value (how it is coloured came later, from the cards).
          const figures = (bars: any) => ({
            ...bars,
            data: bars.data.map((b: any) => ({ label: b.label, value: b.value })),
            group: undefined,
            groups: undefined,
          });
          if (c.type === 'bar_chart') return expect(figures(n), openId).toEqual(figures(c));
          if (c.type !== 'line_chart') return expect(n, openId).toEqual(c);
          const from = c.x.indexOf(trendFrom(openId));
          expect(from).toBeGreaterThan(0);
          expect(n.x).toEqual(c.x);
          for (const [k, s] of c.series.entries()) expect(n.series[k].values.slice(from), `${openId} ${s.name}`).toEqual(s.values.slice(from));
        });
      }
    } finally {
      await handle.close();
    }
  });
});
