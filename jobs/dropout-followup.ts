import { bureauSchools, escalationStaff, openCases, usedDedupeKeys } from '../db/repos/dropout.js';
import { defineJob } from '../src/scheduler/job.js';
import { isSchoolDay, localDateOf } from '../src/calendar/index.js';
import { dayCounter, levelsDue, type Level } from '../src/rules/dropout.js';
import type { Role } from '../src/rules/roles.js';
import { reminderCard } from '../src/cards/dropout.js';
import { outboxRow, type OutboxInsert } from '../src/delivery/outbox.js';
import { t } from '../src/i18n/index.js';

type Person = Awaited<ReturnType<typeof escalationStaff>>[number];
const has = (p: Person, role: Role) => (p.roles as Role[]).includes(role);

/**
 * Daily at 09:07 (Asia/Shanghai) on school days: every open dropout case
 * without a follow-up for the profile's days climbs the ladder (DR-2 三级联控,
 * DR-7 问责): its helper teacher (day 7 by default), the principal (day 10),
 * the 督学 covering its school or township (day 17), the bureau (day 31). Each
 * level hears once per lapse — the dedupe key holds the date of the last
 * follow-up, so a follow-up starts a new lapse. A level that fell due on a
 * holiday or weekend is sent on the next school day. Cards show the student
 * masked; the helper teacher's card records the follow-up in place.
 */
export default defineJob({
  name: 'dropout-followup',
  label: t.dropout.jobLabel,
  cron: '7 9 * * *',
  period: (at) => localDateOf(at),
  async plan({ deps, at }) {
    const today = localDateOf(at);
    if (!isSchoolDay(deps.calendar, today)) return [];
    const policy = deps.policy.dropout;
    const cases = await openCases(deps.db);
    const earliest = cases.reduce((min, c) => (c.lastFollowUpOn < min ? c.lastFollowUpOn : min), today);
    const counted = dayCounter(policy, deps.calendar, earliest, today);
    const due = cases.map((c) => ({ c, days: counted(c.lastFollowUpOn) })).map((d) => ({ ...d, levels: levelsDue(policy, d.days) })).filter((d) => d.levels.length);
    if (due.length === 0) return [];

    const people = await escalationStaff(deps.db, due.map((d) => d.c.teacherStaffId));
    const byId = new Map(people.map((p) => [p.id, p]));
    const schools = new Map((await bureauSchools(deps.db)).map((s) => [s.id, s]));
    const inBureau = (bureauId: string, role: Role) => people.filter((p) => p.bureauId === bureauId && has(p, role));

    const rows: OutboxInsert[] = [];
    for (const { c, days, levels } of due) {
      const school = schools.get(c.schoolId)!;
      const teacher = byId.get(c.teacherStaffId);
      const facts = { ...c, schoolName: school.name, township: school.township, teacherName: teacher?.name ?? '—', days };
      const recipients = (level: Level): { people: Person[]; noInspector?: boolean } => {
        switch (level) {
          case 'teacher':
            return { people: teacher ? [teacher] : [] };
          case 'principal': {
            const here = people.filter((p) => p.schoolId === c.schoolId);
            const principals = here.filter((p) => has(p, '校长'));
            return { people: principals.length ? principals : here.filter((p) => has(p, '分管教学副校长')) };
          }
          case 'inspector': {
            const covering = inBureau(c.bureauId, '督学').filter((p) => {
              const countyWide = p.coversSchools.length === 0 && p.coversTownships.length === 0;
              return countyWide || p.coversSchools.includes(school.code) || (school.township !== '' && p.coversTownships.includes(school.township));
            });
            // No 督学 for this township: its step goes to the county (DR-2's next level).
            return covering.length ? { people: covering } : { people: inBureau(c.bureauId, '教育局'), noInspector: true };
          }
          case 'bureau':
            return { people: inBureau(c.bureauId, '教育局') };
        }
      };
      for (const level of levels) {
        const to = recipients(level);
        for (const p of to.people) {
          const card = reminderCard(p.openId!, level, facts, policy, { noInspector: to.noInspector });
          rows.push(outboxRow(deps.defaultChannel, { kind: 'user', openId: p.openId! }, { card }, { dedupeKey: `dropout-followup:${c.id}:${c.lastFollowUpOn}:${level}:${p.id}` }));
        }
      }
    }
    // Levels already told in this lapse (an earlier run) are not planned again.
    const used = await usedDedupeKeys(deps.db, rows.map((r) => r.dedupeKey!));
    return rows.filter((r) => !used.has(r.dedupeKey!));
  },
});
