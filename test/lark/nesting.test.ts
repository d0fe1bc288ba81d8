import { describe, expect, it } from 'vitest';
import { processedEvents } from '../../db/schema/index.js';
import { ENCRYPT_KEY, fakeLarkForFile, harness, TOKEN, type Harness } from '../helpers/harness.js';
import { larkEncrypt, messageEvent, signedHeaders } from '../helpers/lark.js';
import { dbKindUnderTest } from '../helpers/db.js';
import { MAX_JSON_DEPTH } from '../../src/lark/routes.js';

let h: Harness;
const fake = await fakeLarkForFile();

/** A /帮助 event whose `event.extra` holds arrays `depth` deep (the whole body nests 2 more: root and `event`). */
function nestedEvent(depth: number): { json: string; eventId: string } {
  const ev = messageEvent({ token: TOKEN, text: '/帮助', openId: 'ou_x' });
  const json = JSON.stringify({ ...ev, event: { ...ev.event, extra: null } }).replace('"extra":null', `"extra":${'['.repeat(depth)}${']'.repeat(depth)}`);
  return { json, eventId: ev.header.event_id };
}

/** POST a body exactly as Lark would: encrypted and signed, or plain when there is no encrypt key. */
async function post(json: string, encrypted = true): Promise<Response> {
  const body = encrypted ? JSON.stringify({ encrypt: larkEncrypt(ENCRYPT_KEY, json) }) : json;
  const headers = encrypted ? signedHeaders(body, ENCRYPT_KEY) : { 'content-type': 'application/json' };
  return h.app.request('/lark/events', { method: 'POST', body, headers });
}

const storedIds = async () => (await h.deps.db.select({ id: processedEvents.eventId }).from(processedEvents)).map((r) => r.id);

describe(`deeply nested JSON is refused at the edge (${dbKindUnderTest})`, () => {
  it('an encrypted event nested thousands deep is refused with 400: nothing stored, nothing sent', async () => {
    h = await harness({ fake });
    const res = await post(nestedEvent(10_000).json);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'json nested too deeply' });
    await h.settle();
    expect(await storedIds()).toEqual([]);
    expect(fake.delivered).toEqual([]);
  });

  it('one level past the limit is refused; at the limit the event is stored and answered', async () => {
    h = await harness({ fake });
    const over = nestedEvent(MAX_JSON_DEPTH - 1);
    expect((await post(over.json)).status).toBe(400);
    const at = nestedEvent(MAX_JSON_DEPTH - 2);
    expect((await post(at.json)).status).toBe(200);
    await h.settle();
    expect(await storedIds()).toEqual([at.eventId]);
    expect(fake.delivered).toHaveLength(1);
  });

  it('a plain (unencrypted) event nested too deeply is refused the same way', async () => {
    h = await harness({ fake, env: { LARK_ENCRYPT_KEY: '' } });
    expect((await post(nestedEvent(10_000).json, false)).status).toBe(400);
    expect(await storedIds()).toEqual([]);
  });

  it('brackets inside strings are text, not nesting: such a message is answered', async () => {
    h = await harness({ fake });
    // Quotes and backslashes too: the scan must find where each string really ends.
    const text = `${'['.repeat(2000)}{"\\"${']'.repeat(2000)}\\`;
    const ev = messageEvent({ token: TOKEN, text, openId: 'ou_x' });
    expect((await post(JSON.stringify(ev))).status).toBe(200);
    await h.settle();
    expect(fake.delivered).toHaveLength(1);
    expect(fake.delivered[0]!.content.text).toContain('没有听懂');
  });
});
