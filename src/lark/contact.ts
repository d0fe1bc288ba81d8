import type * as lark from '@larksuiteoapi/node-sdk';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { createLimiter, type RateLimits } from '../delivery/limiter.js';
import { DirectoryError, type DirectoryAnswer, type PeopleDirectory } from '../roster/directory.js';
import { t } from '../i18n/index.js';
import { realTimers, type Pacing } from '../clock.js';
import { classifyLarkError, createLarkClient } from './client.js';

/** contact/v3/users/batch_get_id takes at most 50 mobiles and 50 emails per call. */
export const BATCH_GET_ID_MAX = 50;

/** batch_get_id allows 50 calls/s and 1000/min per app; kept under, with a margin. */
export const CONTACT_SAFE_LIMITS: RateLimits = { perSecond: 40, perMinute: 900, perRecipientPerSecond: 40 };

/** "Access denied. One of the following scopes is required": the app lacks contact:user.id:readonly. */
const SCOPE_MISSING = new Set([99991672, 99991679]);
/** Missing or invalid tenant token: the SDK could not get one with these credentials. */
const BAD_CREDENTIALS = new Set([99991661, 99991663, 99991668, 10003, 10014]);

export interface LarkDirectoryOptions {
  logger: Logger;
  limits?: RateLimits;
  /** Calls in flight at once; the limiter, not this, keeps the rate under Lark's. */
  concurrency?: number;
  /** Tries per batch on 429 or a transient failure before the import gives up. */
  attempts?: number;
  /** The limiter's and the backoff's time (default: real time; tests skip the waits with their own). */
  timers?: Pacing;
}

interface Batch {
  mobiles: string[];
  emails: string[];
}

interface LarkUserId {
  user_id?: string;
  mobile?: string;
  email?: string;
}

/** Lark may echo `+8613812345678` for `13812345678`, and spaces that were never sent: compare what the digits say. */
const sameMobile = (echoed: string) => echoed.replace(/[\s-]/g, '').replace(/^\+86(?=1\d{10}$)/, '');

/** Lark's message for a failed call, without anything that looks like a phone number (it may quote the request). */
const scrub = (detail: string) => detail.replace(/\+?\d{7,}/g, '…').slice(0, 200);

/**
 * The roster's PeopleDirectory on Lark: mobiles and emails to open_ids through
 * contact/v3/users/batch_get_id (scope contact:user.id:readonly) with the real
 * SDK, 50 + 50 per call, paced under the app's rate limit, waiting out a 429
 * for as long as `x-ogw-ratelimit-reset` says. Lark leaves `user_id` out for a
 * number it does not know, for a resigned user (include_resigned: false) and
 * for a person outside the app's availability range alike. Logs counts only:
 * never a number or an address.
 */
export function larkDirectory(client: lark.Client, opts: LarkDirectoryOptions): PeopleDirectory {
  const { logger } = opts;
  const concurrency = opts.concurrency ?? 5;
  const attempts = opts.attempts ?? 6;
  const timers = opts.timers ?? realTimers;

  return {
    async resolve({ mobiles, emails }): Promise<DirectoryAnswer> {
      const batches: Batch[] = [];
      for (let i = 0; i < Math.max(mobiles.length, emails.length); i += BATCH_GET_ID_MAX) {
        batches.push({ mobiles: mobiles.slice(i, i + BATCH_GET_ID_MAX), emails: emails.slice(i, i + BATCH_GET_ID_MAX) });
      }
      const limiter = createLimiter(opts.limits ?? CONTACT_SAFE_LIMITS, timers);
      const byMobile = new Map<string, string>();
      const byEmail = new Map<string, string>();
      let calls = 0;
      let rateLimited = 0;
      let next = 0;
      let failure: unknown = null;
      const started = timers.now();

      async function call(batch: Batch): Promise<LarkUserId[]> {
        for (let attempt = 1; ; attempt++) {
          await limiter.wait('batch_get_id');
          calls++;
          try {
            const res = await client.contact.v3.user.batchGetId({
              params: { user_id_type: 'open_id' },
              data: {
                ...(batch.mobiles.length ? { mobiles: batch.mobiles } : {}),
                ...(batch.emails.length ? { emails: batch.emails } : {}),
                include_resigned: false,
              },
            });
            if (res.code) throw failed(res.code, `lark ${res.code} ${res.msg ?? ''}`.trim());
            return res.data?.user_list ?? [];
          } catch (err) {
            if (err instanceof DirectoryError) throw err;
            const code = (err as { response?: { data?: { code?: number } } }).response?.data?.code;
            const c = classifyLarkError(err);
            if (c.retryAfterMs !== undefined && attempt < attempts) {
              rateLimited++;
              logger.warn('lark batch_get_id rate limited', { retryAfterMs: c.retryAfterMs, attempt });
              limiter.pause(c.retryAfterMs);
              continue;
            }
            if (!c.permanent && c.retryAfterMs === undefined && attempt < attempts) {
              logger.warn('lark batch_get_id failed, retrying', { code, attempt });
              await timers.sleep(Math.min(500 * 2 ** (attempt - 1), 8000));
              continue;
            }
            throw failed(code, c.error);
          }
        }
      }

      function failed(code: number | undefined, detail: string): DirectoryError {
        logger.warn('lark batch_get_id failed', { code });
        if (code !== undefined && SCOPE_MISSING.has(code)) return new DirectoryError(t.roster.lookupScope);
        if (code !== undefined && BAD_CREDENTIALS.has(code)) return new DirectoryError(t.roster.lookupCredentials);
        return new DirectoryError(t.roster.lookupFailed(scrub(detail)));
      }

      function record(batch: Batch, list: LarkUserId[]) {
        const asked = new Set(batch.mobiles);
        for (const u of list) {
          if (!u.user_id) continue;
          if (u.mobile !== undefined) {
            const mobile = asked.has(u.mobile) ? u.mobile : sameMobile(u.mobile);
            if (asked.has(mobile)) byMobile.set(mobile, u.user_id);
          } else if (u.email !== undefined) {
            const email = u.email.toLowerCase();
            if (batch.emails.includes(email)) byEmail.set(email, u.user_id);
          }
        }
      }

      async function worker() {
        while (failure === null && next < batches.length) {
          const batch = batches[next++]!;
          try {
            record(batch, await call(batch));
          } catch (err) {
            failure ??= err;
          }
        }
      }
      await Promise.all(Array.from({ length: Math.min(concurrency, batches.length) }, worker));
      logger.info('lark batch_get_id', {
        mobiles: mobiles.length,
        emails: emails.length,
        found: byMobile.size + byEmail.size,
        calls,
        rateLimited,
        ms: timers.now() - started,
      });
      if (failure !== null) throw failure;
      return { byMobile, byEmail, calls };
    },
  };
}

/** The directory for a process's config: Lark's with credentials, none without (demo, console). */
export function directoryFromConfig(config: Config, logger: Logger, timers?: Pacing): PeopleDirectory | null {
  if (!config.larkEnabled) return null;
  const client = createLarkClient({ appId: config.LARK_APP_ID!, appSecret: config.LARK_APP_SECRET!, domain: config.LARK_DOMAIN }, logger);
  return larkDirectory(client, { logger, timers });
}
