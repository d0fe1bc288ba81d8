import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditLog, notices } from '../../db/schema/index.js';
import { DEFAULT_PROFILE, parsePolicyProfile, type PolicyProfile } from '../../src/rules/profile.js';
import { fakeLarkForFile, harness, type Harness } from '../helpers/harness.js';
import { cardButtons, say } from '../helpers/chat.js';
import { dbKindUnderTest } from '../helpers/db.js';
import { composeAndSend, form, loadNoticeCounty, pressOn } from './county.js';

/** SMS and phone 加急 (Lark urgent_sms, urgent_phone) cost the tenant: the bureau's switch, a confirmation, a daily cap per official. */
const fake = await fakeLarkForFile();

const withBuzz = (buzz: Record<string, unknown>): PolicyProfile => {
  const r = parsePolicyProfile({ id: 'test-buzz', name: '测试', buzz });
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.profile;
};

async function setUp(policy: PolicyProfile = DEFAULT_PROFILE) {
  const h = await harness({ fake, now: '2026-11-24T10:00:00+08:00', policy });
  await loadNoticeCounty(h.deps.db);
  const creates = () => fake.delivered.filter((d) => d.kind === 'create');
  const cardTo = (openId: string) => creates().find((d) => d.to === openId && d.content?.header?.title?.content === form().title)!;
  const sent = await composeAndSend(h, fake, 'ou_official');
  // Four acknowledge: six are left to buzz.
  for (const who of ['ou_teacher', 'ou_dean', 'ou_vice', 'ou_other_teacher']) {
    await pressOn(h, who, cardTo(who).messageId, cardButtons(cardTo(who).content).已知悉);
  }
  const status = () => fake.delivered.filter((d) => d.kind === 'patch' && d.to === sent.messageId).at(-1)!.content;
  return { h, ...sent, status, cardTo };
}

const paidCalls = () => fake.requests.filter((q) => /\/urgent_(sms|phone)$/.test(q.path));
const buzzesOf = async (h: Harness, id: string) => (await h.deps.db.select({ b: notices.buzzes }).from(notices).where(eq(notices.id, id)))[0]!.b;
const audits = async (h: Harness) => (await h.deps.db.select().from(auditLog)).filter((a) => a.action === 'notice.buzz');

describe(`短信、电话加急 (${dbKindUnderTest})`, () => {
  it('off by default: no button, and a forged press (confirmed or not) is refused and sends nothing', async () => {
    const { h, id, messageId, status } = await setUp();
    const buttons = Object.keys(cardButtons(status()));
    expect(buttons).toContain('加急未读(6)');
    expect(buttons.filter((b) => b.includes('短信') || b.includes('电话'))).toEqual([]);
    for (const value of [
      { action: 'notice.buzz', id, for: 'ou_official', how: 'sms' },
      { action: 'notice.buzz', id, for: 'ou_official', how: 'phone', confirm: true },
      { action: 'notice.buzz', id, for: 'ou_official', how: 'fax', confirm: true },
    ]) {
      const r = await pressOn(h, 'ou_official', messageId, value);
      expect(r.toast).toEqual({ type: 'error', content: expect.stringContaining('本单位未开通短信、电话加急') });
    }
    expect(paidCalls()).toEqual([]);
    expect(fake.delivered.filter((d) => d.kind === 'urgent')).toEqual([]);
    expect(await buzzesOf(h, id)).toBe(0);
    expect(await audits(h)).toEqual([]);
  });

  it('switched on: the first press only asks; 确认 buzzes exactly the unacknowledged by SMS, once, audited', async () => {
    const { h, id, messageId, status, cardTo } = await setUp(withBuzz({ sms: true }));
    const buttons = cardButtons(status());
    expect(buttons.短信加急).toEqual({ action: 'notice.buzz', id, for: 'ou_official', how: 'sms' });
    expect(buttons.电话加急).toBeUndefined();

    const ask = await pressOn(h, 'ou_official', messageId, buttons.短信加急);
    expect(ask.card.data.header.title.content).toBe('确认短信加急');
    const confirm = cardButtons(ask.card.data)['确认短信加急(6)'];
    expect(confirm).toEqual({ action: 'notice.buzz', id, for: 'ou_official', how: 'sms', confirm: true });
    expect(cardButtons(ask.card.data).返回).toEqual({ action: 'notice.view', id, for: 'ou_official' });
    expect(paidCalls()).toEqual([]);
    expect(await audits(h)).toEqual([]);

    const done = await pressOn(h, 'ou_official', messageId, confirm);
    expect(done.toast).toEqual({ type: 'success', content: '已短信加急 6 位未确认的人' });
    const open = ['ou_new_teacher', 'ou_other_principal', 'ou_secretary_principal', 'ou_teacher2', 'ou_third_principal', 'ou_third_teacher'];
    const sms = fake.delivered.filter((d) => d.kind === 'urgent');
    expect(sms.map((b) => b.to).sort()).toEqual(open);
    for (const b of sms) {
      expect(b.urgency).toBe('sms');
      expect(b.messageId).toBe(cardTo(b.to).messageId);
    }
    expect(paidCalls().every((q) => q.path.endsWith('/urgent_sms') && q.method === 'PATCH' && q.query.user_id_type === 'open_id')).toBe(true);
    expect(fake.requests.filter((q) => /\/urgent_(app|phone)$/.test(q.path))).toEqual([]);
    expect(await audits(h)).toMatchObject([{ subject: id, detail: { people: 6, how: 'sms', day: '2026-11-24' } }]);
  });

  it('capped per official per day: the refusal is polite in the presser’s language and changes nothing; the next day it works again', async () => {
    const { h, id, messageId } = await setUp(withBuzz({ sms: true, phone: true, paidPerDay: 1 }));
    const phone = { action: 'notice.buzz', id, for: 'ou_official', how: 'phone' };
    await pressOn(h, 'ou_official', messageId, { ...phone, confirm: true });
    expect(paidCalls()).toHaveLength(6);
    expect(paidCalls().every((q) => q.path.endsWith('/urgent_phone'))).toBe(true);
    h.clock.advance(10 * 60_000);

    const capped = await pressOn(h, 'ou_official', messageId, { action: 'notice.buzz', id, for: 'ou_official', how: 'sms' });
    expect(capped.toast).toEqual({ type: 'error', content: expect.stringContaining('你今天的 1 次短信、电话加急已用完') });
    expect(capped.card).toBeUndefined();
    const cappedConfirm = await pressOn(h, 'ou_official', messageId, { ...phone, confirm: true });
    expect(cappedConfirm.toast.type).toBe('error');
    await say(h, fake, 'ou_official', '/lang en');
    const en = await pressOn(h, 'ou_official', messageId, { ...phone, confirm: true });
    expect(en.toast).toEqual({ type: 'error', content: expect.stringContaining("You have used today's 1 SMS and phone buzzes") });
    expect(en.toast.content).not.toContain('短信');
    expect(paidCalls()).toHaveLength(6);
    expect(await buzzesOf(h, id)).toBe(1);
    expect(await audits(h)).toHaveLength(1);

    // The in-app 加急 is not capped.
    const app = await pressOn(h, 'ou_official', messageId, { action: 'notice.buzz', id, for: 'ou_official' });
    expect(app.toast.type).toBe('success');

    h.clock.advance(24 * 60 * 60_000);
    await say(h, fake, 'ou_official', '/lang zh');
    const tomorrow = await pressOn(h, 'ou_official', messageId, phone);
    expect(tomorrow.card.data.header.title.content).toBe('确认电话加急');
  });
});
