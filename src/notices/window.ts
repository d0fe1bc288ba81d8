/**
 * How long after sending a notice may be recalled: Lark takes back only what
 * the tenant's recall limit allows (set by its administrator, 24 hours unless
 * changed: 管理后台 › 消息撤回时限). Not a policy number: the platform's.
 */
export const RECALL_WINDOW_MS = 24 * 60 * 60_000;
