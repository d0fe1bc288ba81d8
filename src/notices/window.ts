/**
 * How long after sending a notice may be recalled: Lark takes back only what
 * the tenant's recall limit allows (set by its administrator, 24 hours unless
 * changed: 管理后台 › 消息撤回时限). Not a policy number: the platform's.
 */
export const RECALL_WINDOW_MS = 24 * 60 * 60_000;

/**
 * Lark stops taking button presses on a card (JSON 2.0) this long after it
 * was sent: 加急 of an older card first sends a fresh one. The platform's
 * limit, not a policy number.
 */
export const CARD_ACTIONS_MS = 14 * 24 * 60 * 60_000;
