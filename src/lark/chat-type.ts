import type * as lark from '@larksuiteoapi/node-sdk';
import type { Deps } from '../deps.js';
import type { ChatType } from '../dispatch/update.js';
import { createLarkClient } from './client.js';

/**
 * Whether a chat is a 1:1 chat with the bot. A card callback names the card's
 * chat (`open_chat_id`) but not its kind, so this asks Lark
 * (GET /open-apis/im/v1/chats/:chat_id, scope im:chat:readonly; `chat_mode` is
 * p2p, group or topic). Asked only by actions on minors' data, answered inside
 * the callback's 3 seconds, so briefly; a chat never changes its kind, so an
 * answer is kept (a failure is not).
 */

/** Short: the whole callback must answer within Lark's 3 s. */
const TIMEOUT_MS = 1_500;
/** Answers kept per process; the oldest go first. */
const KEPT = 10_000;

interface ChatInfo {
  code?: number;
  data?: { chat_mode?: string };
}

/** Per configuration, i.e. per process (per isolate on Workers). */
const state = new WeakMap<object, { client: lark.Client; kinds: Map<string, ChatType> }>();

function stateOf({ config, logger }: Pick<Deps, 'config' | 'logger'>) {
  let s = state.get(config);
  if (!s) {
    const client = createLarkClient({ appId: config.LARK_APP_ID ?? '', appSecret: config.LARK_APP_SECRET ?? '', domain: config.LARK_DOMAIN }, logger);
    s = { client, kinds: new Map() };
    state.set(config, s);
  }
  return s;
}

/** 'p2p' or 'group' (a topic group is a group); null when Lark cannot say, which the caller never takes for a 1:1 chat. */
export async function larkChatType(deps: Pick<Deps, 'config' | 'logger'>, chatId: string): Promise<ChatType | null> {
  const { client, kinds } = stateOf(deps);
  const known = kinds.get(chatId);
  if (known) return known;
  let res: ChatInfo;
  try {
    res = (await client.request({ method: 'GET', url: `/open-apis/im/v1/chats/${encodeURIComponent(chatId)}`, timeout: TIMEOUT_MS })) as ChatInfo;
  } catch (err) {
    const status = (err as { response?: { status?: number } })?.response?.status;
    deps.logger.warn('lark chat kind unknown', { status: status ?? 'network' });
    return null;
  }
  const mode = res?.code === 0 ? res.data?.chat_mode : undefined;
  const kind: ChatType | null = mode === 'p2p' ? 'p2p' : mode === 'group' || mode === 'topic' ? 'group' : null;
  if (!kind) {
    deps.logger.warn('lark chat kind unknown', { code: res?.code ?? '?' });
    return null;
  }
  if (kinds.size >= KEPT) kinds.delete(kinds.keys().next().value!);
  kinds.set(chatId, kind);
  return kind;
}
