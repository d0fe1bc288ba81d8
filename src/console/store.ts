import type { OutboundMessage, SendResult, Transport } from '../delivery/transport.js';

/**
 * The console's "chat server": what Lark would display, kept in memory for the
 * life of the process. Conversations are keyed by the demo user's open_id.
 */
export interface ConsoleMessage {
  id: string;
  from: 'user' | 'bot';
  at: string;
  msgType: 'text' | 'interactive';
  text?: string;
  card?: unknown;
}

export interface ConsoleStore {
  conversations: Map<string, ConsoleMessage[]>;
  byId: Map<string, { openId: string; msg: ConsoleMessage }>;
  add(openId: string, msg: ConsoleMessage): void;
}

export function createConsoleStore(): ConsoleStore {
  const conversations = new Map<string, ConsoleMessage[]>();
  const byId = new Map<string, { openId: string; msg: ConsoleMessage }>();
  return {
    conversations,
    byId,
    add(openId, msg) {
      const list = conversations.get(openId) ?? [];
      list.push(msg);
      if (list.length > 200) byId.delete(list.shift()!.id);
      conversations.set(openId, list);
      byId.set(msg.id, { openId, msg });
    },
  };
}

/** Delivers outbox rows of the 'console' channel into the store, as Lark would into a chat. */
export function consoleTransport(store: ConsoleStore): Transport {
  return {
    async send(m: OutboundMessage): Promise<SendResult> {
      const content = m.content as { text?: string };
      if (m.kind === 'update') {
        const found = m.replyTo ? store.byId.get(m.replyTo) : undefined;
        if (!found) return { ok: false, error: 'no such console message', permanent: true };
        found.msg.card = m.content;
        return { ok: true, messageId: found.msg.id };
      }
      const openId = m.kind === 'reply' ? store.byId.get(m.replyTo ?? '')?.openId : m.receiveIdType === 'open_id' ? m.receiveId : null;
      if (!openId) return { ok: false, error: 'console delivers to demo users only', permanent: true };
      const msg: ConsoleMessage = {
        id: `cm_${m.id}`,
        from: 'bot',
        at: new Date().toISOString(),
        msgType: m.msgType,
        ...(m.msgType === 'text' ? { text: content.text ?? '' } : { card: m.content }),
      };
      store.add(openId, msg);
      return { ok: true, messageId: msg.id };
    },
  };
}
