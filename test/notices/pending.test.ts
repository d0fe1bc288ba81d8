import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { unacknowledgedBySchool } from '../../db/repos/notices.js';
import { schools } from '../../db/schema/index.js';
import { fakeLarkForFile, harness } from '../helpers/harness.js';
import { cardButtons } from '../helpers/chat.js';
import { dbKindUnderTest } from '../helpers/db.js';
import { composeAndSend, form, loadNoticeCounty, pressOn } from './county.js';

const fake = await fakeLarkForFile();

describe(`notices not yet acknowledged, per school, for digests (${dbKindUnderTest})`, () => {
  it('counts the notices someone at a school has not acknowledged, and how many people; notices without 已知悉 do not count', async () => {
    const h = await harness({ fake, now: '2026-11-24T10:00:00+08:00' });
    await loadNoticeCounty(h.deps.db);
    await composeAndSend(h, fake, 'ou_official', form({ title: '通知一' }));
    await composeAndSend(h, fake, 'ou_official', form({ title: '通知二', scope: 'schools', where: 'TS001', roles: 'principals' }));
    await composeAndSend(h, fake, 'ou_official', form({ title: '无需确认', ack: false }));
    // Everyone at TS003 acknowledges 通知一; one of TS002's two does.
    for (const who of ['ou_third_principal', 'ou_third_teacher', 'ou_other_teacher']) {
      const card = fake.delivered.find((d) => d.kind === 'create' && d.to === who && d.content.header.title.content === '通知一')!;
      await pressOn(h, who, card.messageId, cardButtons(card.content).已知悉);
    }
    const id = async (code: string) => (await h.deps.db.select().from(schools).where(eq(schools.code, code)))[0]!.id;
    const open = await unacknowledgedBySchool(h.deps.db);
    expect(open.get(await id('TS001'))).toEqual({ notices: 2, people: 7 });
    expect(open.get(await id('TS002'))).toEqual({ notices: 1, people: 1 });
    expect(open.has(await id('TS003'))).toBe(false);
    const one = await unacknowledgedBySchool(h.deps.db, { schoolIds: [await id('TS002')] });
    expect([...one.values()]).toEqual([{ notices: 1, people: 1 }]);
  });
});
