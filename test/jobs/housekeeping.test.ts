import { eq, sql, type SQL } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import {
  auditLog,
  consoleMessages,
  deadlines,
  deadlineTargets,
  dropoutCaseEvents,
  dropoutCases,
  jobRuns,
  notices,
  noticeTargets,
  observations,
  outbox,
  processedEvents,
  schools,
  staff,
} from '../../db/schema/index.js';
import housekeeping from '../../jobs/housekeeping.js';
import { runJob } from '../../src/scheduler/job.js';
import { parseConfig } from '../../src/config.js';
import { RETENTION } from '../../src/rules/retention.js';
import { harness, type Harness } from '../helpers/harness.js';
import { loadTestRoster } from '../helpers/roster.js';
import { dbKindUnderTest } from '../helpers/db.js';

let h: Harness;
afterEach(() => h.close());

/** A moment `days` ago on the database's clock (which stamps the rows). */
const ago = (days: number): SQL<Date> => sql`now() - make_interval(days => ${days})`;
const daysAgo = (days: number): SQL<string> => sql`current_date - ${days}::int`;

async function people() {
  const [teacher] = await h.deps.db.select().from(staff).where(eq(staff.openId, 'ou_teacher'));
  const [school] = await h.deps.db.select().from(schools).where(eq(schools.code, 'TS001'));
  return { teacher: teacher!, school: school! };
}

async function seedCase(no: string, status: string, daysSince: number) {
  const { teacher, school } = await people();
  const [c] = await h.deps.db
    .insert(dropoutCases)
    .values({
      bureauId: school.bureauId,
      schoolId: school.id,
      studentName: `学生${no}`,
      studentNo: no,
      grade: '初二',
      reason: '厌学',
      discoveredOn: '2020-03-02',
      status: status as never,
      teacherStaffId: teacher.id,
      cadreName: '村干部',
      guardianName: '家长',
      lastFollowUpOn: '2020-03-02',
      source: 'import',
      updatedAt: ago(daysSince),
      createdAt: ago(daysSince + 30),
    })
    .returning();
  await h.deps.db.insert(dropoutCaseEvents).values([
    { caseId: c!.id, kind: 'opened', via: 'cli', at: ago(daysSince + 30) },
    { caseId: c!.id, kind: 'followup', note: '家访', via: 'cli', at: ago(daysSince) },
  ]);
  return c!.id;
}

const historyOf = async (caseId: string) => (await h.deps.db.select().from(dropoutCaseEvents).where(eq(dropoutCaseEvents.caseId, caseId))).length;

describe(`housekeeping: every growing table kept to its retention (${dbKindUnderTest})`, () => {
  it('trims what is past each retention and keeps the rest: failed messages of a live notice, open cases, three years of audit log', async () => {
    h = await harness();
    await loadTestRoster(h.deps.db);
    const { teacher, school } = await people();
    const db = h.deps.db;

    await db.insert(processedEvents).values([
      { eventId: 'old', eventType: 'x', status: 'done', receivedAt: ago(31) },
      { eventId: 'recent', eventType: 'x', status: 'done', receivedAt: ago(29) },
      { eventId: 'old-pending', eventType: 'x', status: 'pending', receivedAt: ago(400) },
    ]);
    const msg = { kind: 'send' as const, receiveIdType: 'open_id' as const, receiveId: 'ou_x', content: { text: 'x' }, channel: 'lark' as const }; // no Lark transport here: the pending row stays pending
    const [notice] = await db
      .insert(notices)
      .values({
        bureauId: school.bureauId,
        senderId: teacher.id,
        title: '通知',
        body: '正文',
        audience: { schools: 'all', townships: [], roles: [] },
        channel: 'console',
        status: 'sent',
        sentAt: ago(400),
      })
      .returning();
    const [oldNotice] = await db
      .insert(notices)
      .values({
        bureauId: school.bureauId,
        senderId: teacher.id,
        title: '旧通知',
        body: '正文',
        audience: { schools: 'all', townships: [], roles: [] },
        channel: 'console',
        status: 'sent',
        sentAt: ago(1100),
      })
      .returning();
    const rows = await db
      .insert(outbox)
      .values([
        { ...msg, source: 'sent-old', status: 'sent', createdAt: ago(181) },
        { ...msg, source: 'sent-recent', status: 'sent', createdAt: ago(179) },
        { ...msg, source: 'failed-old', status: 'failed', createdAt: ago(366) },
        { ...msg, source: 'failed-of-notice', status: 'failed', createdAt: ago(400) },
        { ...msg, source: 'failed-recent', status: 'failed', createdAt: ago(300) },
        { ...msg, source: 'pending-old', status: 'pending', createdAt: ago(1000) },
      ])
      .returning();
    const ofNotice = rows.find((r) => r.source === 'failed-of-notice')!;
    await db.insert(noticeTargets).values([
      { noticeId: notice!.id, staffId: teacher.id, openId: 'ou_teacher', schoolId: school.id, outboxId: ofNotice.id },
      { noticeId: oldNotice!.id, staffId: teacher.id, openId: 'ou_teacher', schoolId: school.id, outboxId: rows[0]!.id },
    ]);
    await db.insert(consoleMessages).values([
      { id: 'c-old', openId: 'ou_teacher', sender: 'user', text: '/听课', at: ago(91) },
      { id: 'c-recent', openId: 'ou_teacher', sender: 'user', text: '/听课', at: ago(89) },
    ]);
    await db.insert(auditLog).values([
      { action: 'dropout.view', subject: 'older than three years', at: ago(1097) },
      { action: 'dropout.view', subject: 'within three years', at: ago(1095) },
    ]);
    const obs = {
      observerId: teacher.id,
      schoolId: school.id,
      observedName: '刘芳',
      weekKey: '2020-W10',
      subject: '初二数学',
      evaluation: '好',
      via: 'demo' as const,
      channel: 'console' as const,
    };
    await db.insert(observations).values([
      { ...obs, lessonDate: daysAgo(1827), evaluation: 'old' },
      { ...obs, lessonDate: daysAgo(1825), evaluation: 'kept' },
    ]);
    const open = await seedCase('S1', 'persuading', 2000);
    const closedLongAgo = await seedCase('S2', 'closed', 1100);
    const closedRecently = await seedCase('S3', 'closed', 10);
    const returnedLongAgo = await seedCase('S4', 'returned', 2000);
    const transferredLongAgo = await seedCase('S5', 'transferred', 1100);
    const [oldDeadline, newDeadline] = await db
      .insert(deadlines)
      .values([
        { bureauId: school.bureauId, title: '旧', due: daysAgo(1097), per: 'school', audience: { schools: 'all' }, origin: 'official' },
        { bureauId: school.bureauId, title: '新', due: daysAgo(30), per: 'school', audience: { schools: 'all' }, origin: 'official' },
      ])
      .returning();
    await db.insert(deadlineTargets).values([
      { deadlineId: oldDeadline!.id, schoolId: school.id },
      { deadlineId: newDeadline!.id, schoolId: school.id },
    ]);
    await db.insert(jobRuns).values([
      { job: 'thursday-reminder', period: '2025-W01', status: 'done', startedAt: ago(401) },
      { job: 'thursday-reminder', period: '2026-W01', status: 'done', startedAt: ago(399) },
    ]);

    const r = await runJob(h.deps, housekeeping, h.clock.now());
    expect(r).toMatchObject({ claimed: true, planned: 0 });

    expect((await db.select().from(processedEvents)).map((e) => e.eventId).sort()).toEqual(['old-pending', 'recent']);
    expect((await db.select().from(outbox)).map((o) => o.source).sort()).toEqual(['failed-of-notice', 'failed-recent', 'pending-old', 'sent-recent']);
    expect((await db.select().from(consoleMessages)).map((m) => m.id)).toEqual(['c-recent']);
    expect((await db.select().from(auditLog)).map((a) => a.subject)).toEqual(['within three years']);
    expect((await db.select().from(observations)).map((o) => o.evaluation)).toEqual(['kept']);
    const cases = (await db.select().from(dropoutCases)).map((c) => c.id).sort();
    expect(cases).toEqual([open, closedRecently, returnedLongAgo].sort());
    expect(await historyOf(open)).toBe(2);
    expect(await historyOf(returnedLongAgo)).toBe(2);
    expect(await historyOf(closedLongAgo)).toBe(0);
    expect(await historyOf(transferredLongAgo)).toBe(0);
    expect((await db.select().from(deadlines)).map((d) => d.title)).toEqual(['新']);
    expect((await db.select().from(deadlineTargets)).map((t) => t.deadlineId)).toEqual([newDeadline!.id]);
    expect((await db.select().from(notices)).map((n) => n.title)).toEqual(['通知']);
    expect((await db.select().from(noticeTargets)).map((t) => t.noticeId)).toEqual([notice!.id]);
    expect((await db.select().from(jobRuns)).map((j) => j.period).sort()).toEqual([r.period, '2026-W01'].sort());
    expect(h.logs.some((l) => l.includes('"housekeeping"') && l.includes('"deleted"'))).toBe(true);
  });

  it('keeps the every-minute notice-schedule runs two days only, whatever the general retention of job runs', async () => {
    h = await harness();
    const db = h.deps.db;
    await db.insert(jobRuns).values([
      { job: 'notice-schedule', period: '2026-11-20T08:00', status: 'done', startedAt: ago(3) },
      { job: 'notice-schedule', period: '2026-11-21T08:00', status: 'failed', startedAt: sql`now() - interval '49 hours'` },
      { job: 'notice-schedule', period: '2026-11-22T08:00', status: 'done', startedAt: ago(1) },
      { job: 'notice-schedule', period: '2026-11-20T08:01', status: 'running', startedAt: ago(3) },
      { job: 'thursday-reminder', period: '2026-W45', status: 'done', startedAt: ago(30) },
    ]);
    const r = await runJob(h.deps, housekeeping, h.clock.now());
    expect(r).toMatchObject({ claimed: true, planned: 0 });
    const left = (await db.select().from(jobRuns)).filter((j) => j.job !== 'housekeeping').map((j) => `${j.job} ${j.period}`);
    expect(left.sort()).toEqual(['notice-schedule 2026-11-20T08:01', 'notice-schedule 2026-11-22T08:00', 'thursday-reminder 2026-W45']);
  });

  it('follows DUXUE_RETAIN_*_DAYS', async () => {
    h = await harness({ env: { DUXUE_RETAIN_CONSOLE_DAYS: '5', DUXUE_RETAIN_EVENTS_DAYS: '3' } });
    await h.deps.db.insert(consoleMessages).values([
      { id: 'c-6', openId: 'ou_teacher', sender: 'user', text: '/听课', at: ago(6) },
      { id: 'c-4', openId: 'ou_teacher', sender: 'user', text: '/听课', at: ago(4) },
    ]);
    await h.deps.db.insert(processedEvents).values([
      { eventId: 'e-4', eventType: 'x', status: 'done', receivedAt: ago(4) },
      { eventId: 'e-2', eventType: 'x', status: 'failed', receivedAt: ago(2) },
    ]);
    await runJob(h.deps, housekeeping, h.clock.now());
    expect((await h.deps.db.select().from(consoleMessages)).map((m) => m.id)).toEqual(['c-4']);
    expect((await h.deps.db.select().from(processedEvents)).map((e) => e.eventId)).toEqual(['e-2']);
  });
});

describe('retention settings', () => {
  it('refuse an audit log kept less than three years, citing PIPL art. 56, and any value under its floor', () => {
    const audit = parseConfig({ DUXUE_RETAIN_AUDIT_DAYS: '365' });
    expect(audit).toEqual({ ok: false, error: expect.stringContaining('DUXUE_RETAIN_AUDIT_DAYS must be at least 1096 days') });
    expect(!audit.ok && audit.error).toContain('个人信息保护法》第五十六条');
    for (const rule of Object.values(RETENTION)) {
      expect(parseConfig({ [rule.env]: String(rule.min - 1) }).ok, rule.env).toBe(false);
      const ok = parseConfig({ [rule.env]: String(rule.min) });
      expect(ok.ok && Object.values(ok.config.retention)).toContain(rule.min);
    }
    expect(parseConfig({ DUXUE_RETAIN_SENT_DAYS: '9.5' })).toEqual({ ok: false, error: expect.stringContaining('whole number of days') });
  });
});
