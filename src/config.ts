import { z } from 'zod';
import { RETENTION, type Retention, type RetentionKey } from './rules/retention.js';

/**
 * Every environment variable (docs/deployment.md#configuration), parsed once at start-up.
 * Empty strings count as "not set" so `FOO= npm start` behaves like no FOO.
 */
const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalString = z.preprocess(blankToUndefined, z.string().optional());
const isListenAddress = (s: string) => [z.ipv4(), z.ipv6(), z.hostname()].some((f) => f.safeParse(s).success);

const schema = z.object({
  PORT: z.preprocess(blankToUndefined, z.coerce.number().int().min(0).max(65535).default(3000)),
  /** Listen address. Every interface by default, so Lark can reach the webhook; the console keeps to loopback by itself. */
  HOST: z.preprocess(
    blankToUndefined,
    z
      .string()
      .refine(isListenAddress, 'must be an IP address or a host name, such as 0.0.0.0 (every interface) or 127.0.0.1 (this machine only)')
      .default('0.0.0.0'),
  ),
  DATA_DIR: z.preprocess(blankToUndefined, z.string().default('./.duxue')),
  DATABASE_URL: z.preprocess(
    blankToUndefined,
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
      .optional(),
  ),
  LARK_APP_ID: optionalString,
  LARK_APP_SECRET: optionalString,
  LARK_VERIFICATION_TOKEN: optionalString,
  LARK_ENCRYPT_KEY: optionalString,
  LARK_DOMAIN: z.preprocess(
    blankToUndefined,
    z
      .string()
      .url('must be a URL such as https://open.feishu.cn')
      .transform((s) => s.replace(/\/+$/, ''))
      .default('https://open.feishu.cn'),
  ),
  DUXUE_NOW: z.preprocess(
    blankToUndefined,
    z
      .string()
      .refine((s) => /^\d{4}-\d{2}-\d{2}T/.test(s) && !Number.isNaN(Date.parse(s)), 'must be an ISO-8601 instant such as 2026-11-24T09:00:00+08:00')
      .transform((s) => new Date(s))
      .optional(),
  ),
  DUXUE_POLICY: optionalString,
  DUXUE_CONSOLE: z.preprocess(blankToUndefined, z.enum(['0', '1']).optional()),
  /** Lets a browser on another machine into the console (src/console/access.ts); without it the console answers loopback only. */
  DUXUE_CONSOLE_SECRET: z.preprocess(
    blankToUndefined,
    z.string().min(16, 'must be at least 16 characters (for example the output of `openssl rand -hex 16`)').optional(),
  ),
  LOG_LEVEL: z.preprocess(blankToUndefined, z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info')),
  /** How Lark events reach us: POSTs to /lark/events (webhook), or the long connection the bot dials out (ws). */
  LARK_MODE: z.preprocess(blankToUndefined, z.enum(['webhook', 'ws'], 'must be webhook or ws').default('webhook')),
  /** Lets a scraper that is not on this machine read /metrics (src/server/probes.ts); without it, loopback only. */
  DUXUE_METRICS_TOKEN: z.preprocess(
    blankToUndefined,
    z.string().min(16, 'must be at least 16 characters (for example the output of `openssl rand -hex 16`)').optional(),
  ),
  ...retentionVariables(),
});

/** DUXUE_RETAIN_*_DAYS (src/rules/retention.ts): whole days, never below the rule's floor, which the error names. */
function retentionVariables() {
  const days = (r: (typeof RETENTION)[RetentionKey]) =>
    z.preprocess(
      blankToUndefined,
      z.coerce.number('must be a number of days').int('must be a whole number of days').min(r.min, `must be at least ${r.min} days: ${r.why}`).default(r.days),
    );
  return Object.fromEntries(Object.values(RETENTION).map((r) => [r.env, days(r)])) as Record<(typeof RETENTION)[RetentionKey]['env'], ReturnType<typeof days>>;
}

export type Config = z.infer<typeof schema> & {
  /** Lark credentials present: talk to a real (or fake) Open API. */
  larkEnabled: boolean;
  /** Serve the local console (no credentials, or DUXUE_CONSOLE=1). */
  consoleEnabled: boolean;
  /** Days each growing table keeps its rows (DUXUE_RETAIN_*_DAYS). */
  retention: Retention;
};

export type ConfigResult = { ok: true; config: Config } | { ok: false; error: string };

export function parseConfig(env: Record<string, string | undefined>): ConfigResult {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0] ?? 'environment');
    return { ok: false, error: `配置错误 / invalid configuration: ${name} ${issue.message}` };
  }
  const c = parsed.data;
  if (Boolean(c.LARK_APP_ID) !== Boolean(c.LARK_APP_SECRET)) {
    const missing = c.LARK_APP_ID ? 'LARK_APP_SECRET' : 'LARK_APP_ID';
    return { ok: false, error: `配置错误 / invalid configuration: ${missing} is required when the other Lark credential is set` };
  }
  const larkEnabled = Boolean(c.LARK_APP_ID && c.LARK_APP_SECRET);
  if (larkEnabled && !c.LARK_VERIFICATION_TOKEN) {
    return { ok: false, error: '配置错误 / invalid configuration: LARK_VERIFICATION_TOKEN is required with Lark credentials' };
  }
  if (c.LARK_MODE === 'ws' && !larkEnabled) {
    return { ok: false, error: '配置错误 / invalid configuration: LARK_MODE=ws needs LARK_APP_ID and LARK_APP_SECRET' };
  }
  // The SDK's WSClient silently refuses any other app id and never connects.
  if (c.LARK_MODE === 'ws' && !/^cli_[0-9a-fA-F]{16}$/.test(c.LARK_APP_ID!)) {
    return { ok: false, error: '配置错误 / invalid configuration: LARK_APP_ID must be cli_ followed by 16 hex digits with LARK_MODE=ws' };
  }
  const consoleEnabled = c.DUXUE_CONSOLE === '1' || (!larkEnabled && c.DUXUE_CONSOLE !== '0');
  const retention = Object.fromEntries(Object.entries(RETENTION).map(([k, r]) => [k, c[r.env]])) as Retention;
  return { ok: true, config: { ...c, larkEnabled, consoleEnabled, retention } };
}
