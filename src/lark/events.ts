import { z } from 'zod';
import type { DirectoryChange } from '../roster/index.js';
import { orgDepartmentOf, orgPersonOf } from './org.js';
import type { ActionUpdate, BotAddedUpdate, CardChat, ChatEnteredUpdate, ChatType, MenuUpdate, MessageUpdate, ReadUpdate } from '../dispatch/update.js';

/** The parts of Lark v2 events Duxue reads; everything else is ignored. */
export const v2Envelope = z.object({
  schema: z.literal('2.0'),
  header: z.object({
    event_id: z.string().min(1),
    event_type: z.string().min(1),
    token: z.string().optional(),
    create_time: z.string().optional(),
  }),
  event: z.record(z.string(), z.unknown()),
});
export type V2Envelope = z.infer<typeof v2Envelope>;

const messageEvent = z.object({
  sender: z.object({ sender_id: z.object({ open_id: z.string() }) }),
  message: z.object({
    message_id: z.string(),
    chat_id: z.string(),
    chat_type: z.string(),
    message_type: z.string(),
    content: z.string(),
    mentions: z
      .array(z.object({ key: z.string(), name: z.string().optional(), id: z.object({ open_id: z.string().optional() }).partial().optional() }))
      .optional(),
  }),
});

const actionEvent = z.object({
  operator: z.object({ open_id: z.string() }),
  action: z.object({
    value: z.record(z.string(), z.unknown()).optional(),
    form_value: z.record(z.string(), z.unknown()).optional(),
  }),
  context: z.object({ open_message_id: z.string().optional(), open_chat_id: z.string().optional() }).optional(),
});

const botAddedEvent = z.object({ chat_id: z.string(), name: z.string().optional() });

/** `application.bot.menu_v6`: who tapped which item (`event_key`); no chat, no message. */
const menuEvent = z.object({
  operator: z.object({ operator_id: z.object({ open_id: z.string().min(1) }) }),
  event_key: z.string().min(1),
});

/** `im.chat.access_event.bot_p2p_chat_entered_v1`: someone opened their 1:1 chat with the bot. */
const chatEnteredEvent = z.object({
  chat_id: z.string().min(1),
  operator_id: z.object({ open_id: z.string().min(1) }),
});

/** `im.message.message_read_v1`: a person read the bot's 1:1 messages (`read_time` in epoch milliseconds). */
const readEvent = z.object({
  reader: z.object({ reader_id: z.object({ open_id: z.string().min(1) }), read_time: z.string().optional() }),
  message_id_list: z.array(z.string().min(1)).max(1000),
});

/**
 * Text of a message with @-mentions resolved: leading mentions address the bot
 * and are dropped; later ones become `@name` (e.g. the observed teacher).
 */
function messageText(raw: string, mentions: { key: string; name?: string }[]): string {
  let text = '';
  try {
    const parsed = JSON.parse(raw) as { text?: unknown };
    text = typeof parsed.text === 'string' ? parsed.text : '';
  } catch {
    text = '';
  }
  let rest = text.trim();
  for (;;) {
    const lead = mentions.find((m) => rest.startsWith(m.key)) ?? (rest.startsWith('@_all') ? { key: '@_all' } : undefined);
    if (!lead) break;
    rest = rest.slice(lead.key.length).trim();
  }
  for (const m of mentions) rest = rest.split(m.key).join(m.name ? `@${m.name}` : '');
  return rest.trim();
}

/**
 * Whether a message is addressed to the bot: every 1:1 message is; in a group,
 * only one that @-mentions the bot itself (not someone else, not @所有人).
 * `botOpenId` is asked only then (src/lark/bot.ts); it throws when Lark cannot
 * say, and so does this, so that the event is retried rather than dropped.
 */
export async function toMessageUpdate(env: V2Envelope, botOpenId: () => Promise<string>): Promise<MessageUpdate | null> {
  const p = messageEvent.safeParse(env.event);
  if (!p.success) return null;
  const { message, sender } = p.data;
  const mentions = message.mentions ?? [];
  const isP2p = message.chat_type === 'p2p';
  const ids = mentions.map((m) => m.id?.open_id).filter((id): id is string => Boolean(id));
  const mentionsBot = isP2p || (ids.length > 0 && ids.includes(await botOpenId()));
  return {
    kind: 'message',
    channel: 'lark',
    id: env.header.event_id,
    chat: { id: message.chat_id, type: isP2p ? 'p2p' : 'group' },
    senderOpenId: sender.sender_id.open_id,
    messageId: message.message_id,
    text: message.message_type === 'text' ? messageText(message.content, mentions) : '',
    mentionsBot,
  };
}

/** What a card's chat is, asked of Lark (src/lark/chat-type.ts). */
export type ChatTypeOf = (chatId: string) => Promise<ChatType | null>;

/** The card's chat as Lark names it; its kind is asked once, and only if an action needs it. */
export function cardChat(chatId: string | undefined, typeOf: ChatTypeOf): CardChat | null {
  if (!chatId) return null;
  let asked: Promise<ChatType | null> | undefined;
  return { id: chatId, type: () => (asked ??= typeOf(chatId)) };
}

export function toActionUpdate(env: V2Envelope, typeOf: ChatTypeOf): ActionUpdate | null {
  const p = actionEvent.safeParse(env.event);
  if (!p.success) return null;
  const { operator, action, context } = p.data;
  return {
    kind: 'action',
    channel: 'lark',
    id: env.header.event_id,
    chat: cardChat(context?.open_chat_id, typeOf),
    senderOpenId: operator.open_id,
    messageId: context?.open_message_id ?? null,
    value: action.value ?? {},
    form: action.form_value ?? null,
  };
}

export function toBotAddedUpdate(env: V2Envelope): BotAddedUpdate | null {
  const p = botAddedEvent.safeParse(env.event);
  if (!p.success) return null;
  return { kind: 'bot_added', channel: 'lark', id: env.header.event_id, chat: { id: p.data.chat_id, type: 'group' }, chatName: p.data.name ?? null };
}

/**
 * A menu tap. Lark's event names no chat: the reply goes to the person, in
 * their 1:1 chat with the bot (its `chat.id` here only labels it; it is never
 * looked up or sent to).
 */
export function toMenuUpdate(env: V2Envelope): MenuUpdate | null {
  const p = menuEvent.safeParse(env.event);
  if (!p.success) return null;
  const openId = p.data.operator.operator_id.open_id;
  return { kind: 'menu', channel: 'lark', id: env.header.event_id, senderOpenId: openId, key: p.data.event_key, chat: { id: `p2p:${openId}`, type: 'p2p' } };
}

export function toReadUpdate(env: V2Envelope): ReadUpdate | null {
  const p = readEvent.safeParse(env.event);
  if (!p.success) return null;
  const ms = Number(p.data.reader.read_time);
  return {
    kind: 'read',
    channel: 'lark',
    id: env.header.event_id,
    readerOpenId: p.data.reader.reader_id.open_id,
    messageIds: p.data.message_id_list,
    readAt: Number.isFinite(ms) && ms > 0 ? new Date(ms) : null,
  };
}

export function toChatEnteredUpdate(env: V2Envelope): ChatEnteredUpdate | null {
  const p = chatEnteredEvent.safeParse(env.event);
  if (!p.success) return null;
  return {
    kind: 'chat_entered',
    channel: 'lark',
    id: env.header.event_id,
    senderOpenId: p.data.operator_id.open_id,
    chat: { id: p.data.chat_id, type: 'p2p' },
  };
}

/**
 * Legacy message-card callback (POST /lark/cards), as Lark sends it: open_id,
 * user_id, open_message_id, open_chat_id, tenant_key, `token` (the card-update
 * token `c-…`, not the verification token), action { value, tag, form_value? }.
 * A button's value may be a string; only objects carry our `action`.
 */
export const legacyCardCallback = z.object({
  open_id: z.string().min(1),
  user_id: z.string().optional(),
  open_message_id: z.string().optional(),
  open_chat_id: z.string().optional(),
  tenant_key: z.string().optional(),
  token: z.string().optional(),
  action: z.object({
    tag: z.string().optional(),
    value: z.union([z.record(z.string(), z.unknown()), z.string()]).optional(),
    form_value: z.record(z.string(), z.unknown()).optional(),
  }),
});

/** The contact events the roster follows (docs/cli.md#live-changes-and-the-daily-sync): a person created, changed or deleted, a department changed. */
export const CONTACT_EVENTS = ['contact.user.created_v3', 'contact.user.updated_v3', 'contact.user.deleted_v3', 'contact.department.updated_v3'] as const;

const contactUser = z.object({
  open_id: z.string().min(1),
  name: z.string().default(''),
  department_ids: z.array(z.string()).optional(),
  job_title: z.string().optional(),
  status: z.object({ is_resigned: z.boolean().optional() }).partial().optional(),
  custom_attrs: z.array(z.object({ id: z.string().optional(), value: z.object({ text: z.string().optional() }).partial().optional() })).optional(),
});
const contactDepartment = z.object({
  name: z.string(),
  parent_department_id: z.string().default('0'),
  department_id: z.string().optional(),
  open_department_id: z.string().min(1),
});

/**
 * A contact event as the roster's DirectoryChange: the person as they now are
 * (event.object; a deleted or resigned one is gone), or the department. Only
 * what the roster keeps is read: a mobile or email in the event is never touched.
 */
export function toDirectoryChange(env: V2Envelope): DirectoryChange | null {
  const object = (env.event as { object?: unknown }).object;
  if (env.header.event_type === 'contact.department.updated_v3') {
    const d = contactDepartment.safeParse(object);
    const department = d.success ? orgDepartmentOf(d.data) : null;
    return department ? { kind: 'department', department } : null;
  }
  const u = contactUser.safeParse(object);
  if (!u.success) return null;
  const person = orgPersonOf(u.data);
  if (!person) return null;
  const gone = env.header.event_type === 'contact.user.deleted_v3' || Boolean(u.data.status?.is_resigned);
  return { kind: 'person', person, gone };
}
