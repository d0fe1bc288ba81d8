import type { Deps } from '../deps.js';
import { createLarkClient } from './client.js';

/** Lark's answer to GET /open-apis/bot/v3/info: `bot` sits beside `code`, not under `data`. */
interface BotInfo {
  code?: number;
  msg?: string;
  bot?: { open_id?: string; app_name?: string };
}

/** A hung Open API must not hold the inbox: the event is retried instead. */
const TIMEOUT_MS = 10_000;

/** One answer per configuration, i.e. per process (per isolate on Workers); a failure is not kept. */
const cache = new WeakMap<object, Promise<string>>();

/**
 * The bot's own open_id, which a group message must @-mention to be addressed
 * to it. Asked of Lark once (GET /open-apis/bot/v3/info, no scope needed) and
 * kept; throws when Lark cannot say, so the caller's event is retried later
 * rather than lost or answered by mistake.
 */
export function botOpenId(deps: Pick<Deps, 'config' | 'logger'>): Promise<string> {
  const key = deps.config;
  let found = cache.get(key);
  if (!found) {
    found = fetchBotOpenId(deps);
    cache.set(key, found);
    found.catch(() => cache.delete(key));
  }
  return found;
}

async function fetchBotOpenId({ config, logger }: Pick<Deps, 'config' | 'logger'>): Promise<string> {
  if (!config.LARK_APP_ID || !config.LARK_APP_SECRET) throw new Error('no Lark credentials: the bot has no open_id');
  const client = createLarkClient({ appId: config.LARK_APP_ID, appSecret: config.LARK_APP_SECRET, domain: config.LARK_DOMAIN }, logger);
  let res: BotInfo;
  try {
    res = (await client.request({ method: 'GET', url: '/open-apis/bot/v3/info', timeout: TIMEOUT_MS })) as BotInfo;
  } catch (err) {
    const status = (err as { response?: { status?: number } })?.response?.status;
    throw new Error(`bot info unavailable (${status ?? 'network'})`);
  }
  const openId = res?.bot?.open_id;
  if (res?.code !== 0 || !openId) throw new Error(`bot info unavailable (code ${res?.code ?? '?'})`);
  logger.info('lark bot identified', { botOpenId: openId });
  return openId;
}
