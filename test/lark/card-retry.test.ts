import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { deadlines } from '../../db/schema/index.js';
import { press } from '../helpers/chat.js';
import { dbKindUnderTest } from '../helpers/db.js';
import { fakeLarkForFile, harness, type Harness } from '../helpers/harness.js';
import { loadTestRoster } from '../helpers/roster.js';

let h: Harness;
const fake = await fakeLarkForFile();

beforeEach(async () => {
  h = await harness({ fake, now: '2026-11-24T10:00:00+08:00' });
  await loadTestRoster(h.deps.db);
});

/** The error PostgreSQL raises on the victim of a lock cycle it broke (what db/errors.ts recognises). */
const deadlock = () => Object.assign(new Error('deadlock detected'), { code: '40P01', severity: 'ERROR' });

describe(`a card action is one transaction, run again when PostgreSQL broke a lock cycle with it (${dbKindUnderTest})`, () => {
  it('the presser gets the action’s own answer, and what it writes is written once', async () => {
    const db = h.deps.db;
    const transaction = db.transaction.bind(db);
    let broken = 0;
    // The action's first transaction is the victim of a deadlock: it writes nothing and fails, as PostgreSQL's would.
    db.transaction = ((fn: never) => {
      if (broken++ === 0) return Promise.reject(deadlock());
      return transaction(fn);
    }) as typeof db.transaction;
    let r: { toast: { type: string } };
    try {
      const form = { title: '学分登记', description: '', due: '2026-12-04', per: 'person', role_4: true, schools: '全部', townships: '' };
      r = await press(h, 'ou_official', { action: 'deadline.create', for: 'ou_official' }, form);
    } finally {
      db.transaction = transaction;
    }
    expect(broken).toBeGreaterThanOrEqual(2);
    expect(r.toast.type).toBe('success');
    expect(await db.select().from(deadlines).where(eq(deadlines.title, '学分登记'))).toHaveLength(1);
  });
});
