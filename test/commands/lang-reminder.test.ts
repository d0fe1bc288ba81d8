import { beforeAll, describe, expect, it } from 'vitest';
import thursdayReminder from '../../jobs/thursday-reminder.js';
import { runJob } from '../../src/scheduler/job.js';
import { fakeLarkForFile, harness, sendPendingNow, type Harness } from '../helpers/harness.js';
import { loadTestRoster } from '../helpers/roster.js';
import { cardButtons, cardFields, cardText, press, say } from '../helpers/chat.js';
import { dbKindUnderTest, testDb } from '../helpers/db.js';

let h: Harness;
const fake = await fakeLarkForFile();
beforeAll(() => testDb().then(() => undefined));

describe(`jobs write to each person in their language (${dbKindUnderTest})`, () => {
  it('the Thursday reminder is in English for an English reader and in Chinese for everyone else', async () => {
    h = await harness({ fake, now: '2026-11-26T16:00:00+08:00' });
    await loadTestRoster(h.deps.db);
    await say(h, fake, 'ou_new_teacher', '/lang en');
    fake.reset();

    await runJob(h.deps, thursdayReminder, h.clock.now());
    await sendPendingNow(h);
    const to = (openId: string) => fake.delivered.find((d) => d.to === openId)!.content;

    const english = to('ou_new_teacher');
    expect(english.header.title.content).toBe('Reminder: 3 lessons to observe this week');
    expect(english.header.subtitle.content).toMatch(/^Mon 23 Nov – Sun 29 Nov · term week \d+$/);
    expect(cardText(english)).toContain('Dear 陈新, you still have **3 lessons** to observe this week.');
    expect(cardFields(english)).toEqual({ Due: '3 lessons', Done: '0 lessons', 'To go': '3 lessons' });

    const chinese = to('ou_teacher2');
    expect(chinese.header.title.content).toBe('听课提醒:本周还差 1 节');
    expect(cardText(chinese)).toContain('赵磊老师您好');

    // The button on it opens the form in English too.
    const open = await press(h, 'ou_new_teacher', cardButtons(english)['Log a lesson']);
    expect(open.card.data.header.title.content).toBe('Log an observed lesson');
  });
});
