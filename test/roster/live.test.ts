import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { count, eq } from 'drizzle-orm';
import { processedEvents, schools, staff, staffHistory } from '../../db/schema/index.js';
import rosterSyncJob from '../../jobs/roster-sync.js';
import { runByHand } from '../../src/scheduler/manual.js';
import { syncRoster } from '../../src/roster/index.js';
import { checkMapping } from '../../src/roster/mapping.js';
import { saveRosterMap } from '../../src/roster/store.js';
import { startLongConnection, type LongConnection } from '../../src/lark/ws.js';
import { fakeLarkForFile, harness, type Harness } from '../helpers/harness.js';
import { dbKindUnderTest } from '../helpers/db.js';
import { startFakeLongConnection } from '../fakes/lark-ws-server.js';
import { buildCounty, MAPPING, OTHER, schoolPerson } from './directory.js';

/**
 * Live changes: Lark's contact events, signed on the webhook and framed on
 * the long connection, inbox-deduplicated, applied to the roster inside the
 * mapped departments; and the daily roster-sync job through `jobs run`'s path.
 */
const fake = await fakeLarkForFile();
const lark = await startFakeLongConnection(fake);
afterAll(() => lark.close());
const open: LongConnection[] = [];
afterEach(() => {
  for (const c of open.splice(0)) c.stop();
  lark.reset();
});

let h: Harness;
async function mappedCounty(o: Parameters<typeof harness>[0] = {}) {
  h = await harness({ fake, ...o });
  buildCounty(fake.org);
  const checked = checkMapping(MAPPING);
  if (!checked.ok) throw new Error(checked.errors.join('\n'));
  await saveRosterMap(h.deps.db, { ...checked.map, exceptions: [] });
  const r = await syncRoster(h.deps, h.deps.orgDirectory!);
  expect(r).toMatchObject({ ok: true, people: 300 });
}

const person = async (openId: string) => (await h.deps.db.select().from(staff).where(eq(staff.openId, openId)))[0];
const spansOf = async (openId: string) =>
  (await h.deps.db.select({ s: staffHistory }).from(staffHistory).innerJoin(staff, eq(staff.id, staffHistory.staffId)).where(eq(staff.openId, openId))).map(
    (r) => r.s,
  );
const staffCount = async () => Number((await h.deps.db.select({ n: count() }).from(staff))[0]!.n);

describe(`contact events on the webhook (${dbKindUnderTest})`, () => {
  beforeEach(() => mappedCounty());

  it('a new person in a mapped department is added once, also when Lark delivers the event again', async () => {
    fake.org.addUser({ openId: 'ou_joiner', name: '新来的老师', departmentIds: ['od-sA2-g'], jobTitle: '教师', mobile: '13800009999', email: 'joiner@x.cn' });
    const ev = fake.org.event('contact.user.created_v3', 'ou_joiner');
    for (let i = 0; i < 3; i++) expect((await h.post('/lark/events', ev)).status).toBe(200);
    await h.settle();
    expect(await person('ou_joiner')).toMatchObject({ name: '新来的老师', roles: ['专任教师'], active: true, source: 'directory' });
    expect(await spansOf('ou_joiner')).toMatchObject([{ fromWeek: '2026-11-23', untilWeek: null }]);
    expect(await staffCount()).toBe(301);
    // The same change told again under a new event id changes nothing either.
    await h.post('/lark/events', fake.org.event('contact.user.created_v3', 'ou_joiner'));
    await h.settle();
    expect(await staffCount()).toBe(301);
    expect(await spansOf('ou_joiner')).toHaveLength(1);
    expect(fake.delivered).toHaveLength(0);
    // Mobile and email came in the event: neither is logged, and the payload is not kept once handled.
    expect(h.logs.join('\n')).not.toMatch(/13800009999|joiner@x\.cn/);
    const [stored] = await h.deps.db.select().from(processedEvents).where(eq(processedEvents.eventId, ev.header.event_id));
    expect(stored).toMatchObject({ status: 'done', payload: null });
  });

  it('a person outside the mapped departments is ignored', async () => {
    fake.org.addUser({ openId: 'ou_far', name: '外县老师', departmentIds: [OTHER], jobTitle: '教师' });
    await h.post('/lark/events', fake.org.event('contact.user.created_v3', 'ou_far'));
    await h.settle();
    expect(await person('ou_far')).toBeUndefined();
    expect(await staffCount()).toBe(300);
  });

  it('a changed job title changes roles from this week; a person moved out of every mapped department, or deleted, leaves after this week', async () => {
    const who = schoolPerson('od-sB1', 7);
    fake.org.users.get(who)!.jobTitle = '教务主任';
    await h.post('/lark/events', fake.org.event('contact.user.updated_v3', who, { old: { job_title: '教师' } }));
    const moved = schoolPerson('od-sB1', 8);
    fake.org.users.get(moved)!.departmentIds = [OTHER];
    await h.post('/lark/events', fake.org.event('contact.user.updated_v3', moved, { old: { department_ids: ['od-sB1'] } }));
    const gone = schoolPerson('od-sA1', 9);
    await h.post('/lark/events', fake.org.event('contact.user.deleted_v3', gone));
    await h.settle();
    expect((await person(who))!.roles).toEqual(['教务主任']);
    // Synced this very week: the change replaces this week's span (a change in a later week would close it; test/roster/sync.test.ts).
    expect((await spansOf(who)).map((s) => [s.roles, s.fromWeek, s.untilWeek])).toEqual([[['教务主任'], '2026-11-23', null]]);
    expect((await person(moved))!.active).toBe(false);
    expect((await person(gone))!.active).toBe(false);
    expect(await spansOf(gone)).toMatchObject([{ untilWeek: '2026-11-30' }]);
  });

  it('a renamed school department renames a school whose name came from the directory, not one the mapping names', async () => {
    fake.org.departments.get('od-sB1')!.name = '河西乡中心小学';
    fake.org.departments.get('od-sB2')!.name = '别的名字';
    await h.post('/lark/events', fake.org.event('contact.department.updated_v3', 'od-sB1', { old: { name: '河西乡第1小学(部门)' } }));
    await h.post('/lark/events', fake.org.event('contact.department.updated_v3', 'od-sB2', { old: { name: '河西乡第2小学(部门)' } }));
    await h.settle();
    const names = Object.fromEntries((await h.deps.db.select().from(schools)).map((s) => [s.code, s.name]));
    expect(names).toMatchObject({ HX001: '河西乡中心小学', HX002: '河西乡第二小学' });
  });
});

describe(`contact events on the long connection (${dbKindUnderTest})`, () => {
  it('a new person is added once, also when the frame is delivered again', async () => {
    await mappedCounty({ env: { LARK_MODE: 'ws', LARK_APP_ID: 'cli_0123456789abcdef', LARK_ENCRYPT_KEY: '' } });
    open.push(startLongConnection(h.deps));
    await lark.waitForConnections(1);
    fake.org.addUser({ openId: 'ou_ws', name: '长连接老师', departmentIds: ['od-sA3'], jobTitle: '校长' });
    const ev = fake.org.event('contact.user.created_v3', 'ou_ws');
    await lark.deliver(ev);
    await lark.deliver(ev);
    await h.settle();
    expect(await person('ou_ws')).toMatchObject({ roles: ['校长'], active: true });
    expect(await staffCount()).toBe(301);
  });
});

describe(`the roster-sync job (${dbKindUnderTest})`, () => {
  beforeEach(() => mappedCounty());

  it('runs daily early in the morning and catches what an event missed; not due it changes nothing, --dry-run writes nothing', async () => {
    fake.org.addUser({ openId: 'ou_missed', name: '漏掉的老师', departmentIds: ['od-sA1'], jobTitle: '教师' });
    const notDue = await runByHand(h.deps, rosterSyncJob, new Date('2026-11-24T23:00:00+08:00'));
    expect(notDue.kind).toBe('notDue');
    const dry = await runByHand(h.deps, rosterSyncJob, new Date('2026-11-25T05:30:00+08:00'), { dryRun: true });
    expect(dry.kind).toBe('dryRun');
    expect(await person('ou_missed')).toBeUndefined();
    const ran = await runByHand(h.deps, rosterSyncJob, new Date('2026-11-25T05:30:00+08:00'));
    expect(ran.kind).toBe('ran');
    expect(await person('ou_missed')).toMatchObject({ active: true, roles: ['专任教师'] });
  });
});
