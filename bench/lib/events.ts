import { messageEvent, signedRequest } from '../../test/helpers/lark.js';

/** Test credentials of the bench (nothing real). */
export const BENCH_LARK = {
  appId: 'cli_bench',
  appSecret: 'secret_bench',
  token: 'v_token_bench',
  encryptKey: 'bench encrypt key',
};

/**
 * A small county roster: the bureau (2 officials) and `schools` schools of
 * `perSchool` staff (a principal, a dean, teachers). Realistic senders: people
 * who are in the roster, so each event runs the whole path (actor and chat
 * lookup, the command, a card reply in the outbox) rather than the cheaper
 * "you are not in the roster" answer.
 */
export function benchRoster(schools = 10, perSchool = 20): { csv: string; openIds: string[] } {
  const lines = ['school_code,school_name,township,name,open_id,roles,teaching_since'];
  const openIds: string[] = [];
  const add = (code: string, school: string, township: string, name: string, openId: string, roles: string, since: string) => {
    lines.push([code, school, township, name, openId, roles, since].join(','));
    openIds.push(openId);
  };
  add('BJJY', '压测县教育局', '', '周局长', 'ou_bench_official', '教育局', '1995');
  add('BJJY', '压测县教育局', '', '孙督学', 'ou_bench_inspector', '督学', '1998');
  const family = '王李张刘陈杨赵黄周吴';
  const given = '芳伟娜敏静磊洋勇艳杰娟涛明超秀霞平刚桂英';
  for (let s = 1; s <= schools; s++) {
    const code = `BS${String(s).padStart(3, '0')}`;
    const school = `压测第${s}中学`;
    const township = `第${s}镇`;
    for (let p = 1; p <= perSchool; p++) {
      const roles = p === 1 ? '书记|校长' : p === 2 ? '分管教学副校长' : p === 3 ? '教务主任' : '专任教师';
      const name = family[(s + p) % family.length]! + given[p % given.length]! + (p > given.length ? String(p) : '');
      add(code, school, township, name, `ou_bench_s${s}_p${p}`, roles, String(1990 + ((s * 7 + p) % 34)));
    }
  }
  return { csv: `${lines.join('\n')}\n`, openIds };
}

export interface WireRequest {
  body: string;
  headers: Record<string, string>;
  eventId: string;
  messageId: string;
}

/**
 * `n` distinct `im.message.receive_v1` events, each encrypted and signed
 * exactly as Lark sends them (test/helpers/lark.ts), each with its own
 * event_id and message_id (a repeated id would be a cheap dedupe hit).
 * Built before the timed run: signing is not what is measured.
 */
export function makeEvents(n: number, o: { tag: string; senders: string[]; text: string }): WireRequest[] {
  const out: WireRequest[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const eventId = `ev_bench_${o.tag}_${i}`;
    const messageId = `om_bench_${o.tag}_${i}`;
    const openId = o.senders[i % o.senders.length]!;
    const payload = messageEvent({ token: BENCH_LARK.token, text: o.text, openId, eventId, messageId, chatType: 'p2p' });
    const { body, headers } = signedRequest(payload, { encryptKey: BENCH_LARK.encryptKey });
    out[i] = { body, headers, eventId, messageId };
  }
  return out;
}
