import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import dropoutFollowup from '../../jobs/dropout-followup.js';
import mondayDigest from '../../jobs/monday-digest.js';
import { runJob } from '../../src/scheduler/job.js';
import { dropoutCountsForDigest } from '../../src/dropout/service.js';
import { shanghaiInstant } from '../../src/calendar/index.js';
import { fakeLarkForFile, harness, type Harness } from '../helpers/harness.js';
import { cardButtons, press } from '../helpers/chat.js';
import { dbKindUnderTest, testDb } from '../helpers/db.js';
import { guardStudentPrivacy, loadDropoutRoster, openCase, sayInGroup, studentLeaks, STUDENTS } from './helpers.js';

let h: Harness | undefined;
const fake = await fakeLarkForFile();
guardStudentPrivacy(fake, () => h);
beforeAll(() => testDb(), 180_000);
beforeEach(async () => {
  h = await harness({ fake, now: '2026-11-02T10:00:00+08:00' });
  await loadDropoutRoster(h);
});
const H = () => h!;

describe(`students' names and numbers stay out of groups, digests and logs (${dbKindUnderTest})`, () => {
  it('the fence itself catches a name in a log line or a group message', async () => {
    H().logs.push(JSON.stringify({ msg: 'oops', who: STUDENTS.dawei.student_name }));
    fake.delivered.push({ messageId: 'om_x', kind: 'create', to: 'oc_g', receiveIdType: 'chat_id', content: { text: STUDENTS.xiaohong.student_no }, at: 0 });
    expect(await studentLeaks(H(), fake)).toEqual([`a group message holds ${STUDENTS.xiaohong.student_no}`, `a log line holds ${STUDENTS.dawei.student_name}`]);
    H().logs.length = 0;
    fake.delivered.length = 0;
  });

  it('a bound school group hears the Monday digest and sees /辍学 refused, while cases are open, escalated and acted on', async () => {
    await sayInGroup(H(), fake, 'ou_secretary_principal', '/绑定 TS001');
    const a = await openCase(H());
    await openCase(H(), { ...STUDENTS.dawei, teacher_name: '赵磊' });
    for (const day of ['2026-11-09', '2026-11-12', '2026-11-19', '2026-12-03']) {
      await runJob(H().deps, dropoutFollowup, shanghaiInstant(day, 9, 7));
      await runJob(H().deps, mondayDigest, shanghaiInstant(day, 8, 0));
      await H().settle();
    }
    const reminder = fake.delivered.find((d) => d.to === 'ou_teacher')!.content;
    H().clock.set(shanghaiInstant('2026-12-03', 11));
    await press(H(), 'ou_teacher', cardButtons(reminder).已跟进, { note: `已家访${STUDENTS.xiaoming.student_name},家长同意返校` });
    await press(H(), 'ou_teacher', { action: 'dropout.view', id: a.id, for: 'ou_teacher' });
    await sayInGroup(H(), fake, 'ou_official', '/辍学');
    await sayInGroup(H(), fake, 'ou_teacher', `/辍学 ${a.no}`);
    const toGroup = fake.delivered.filter((d) => d.receiveIdType === 'chat_id');
    expect(toGroup.length).toBeGreaterThan(0); // the digest went to the group, and the fence checks it after this test
  });

  it('digest counts per school carry numbers only', async () => {
    await openCase(H());
    await openCase(H(), { ...STUDENTS.dawei, teacher_name: '赵磊' });
    await openCase(H(), { ...STUDENTS.xiaohong, teacher_name: '郑老师' }, 'ou_other_principal');
    const [bureau] = await H().deps.db.query.bureaus.findMany();
    const counts = await dropoutCountsForDigest(H().deps, { bureauId: bureau!.id }, '2026-11-12');
    const schools = await H().deps.db.query.schools.findMany();
    const byCode = Object.fromEntries(counts.map((c) => [schools.find((s) => s.id === c.schoolId)!.code, { open: c.open, overdue: c.overdue }]));
    expect(byCode).toEqual({ TS001: { open: 2, overdue: 2 }, TS002: { open: 1, overdue: 1 } });
    expect(await dropoutCountsForDigest(H().deps, { bureauId: bureau!.id }, '2026-11-05')).toEqual(
      expect.arrayContaining([expect.objectContaining({ overdue: 0 })]),
    );
    expect(JSON.stringify(counts)).not.toMatch(/张|李|王|G2026/);
  });
});
