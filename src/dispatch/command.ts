import type { z } from 'zod';
import type { Reply, Card, Rich } from '../messages/model.js';
import type { Services } from '../ports.js';
import type { Channel } from '../messages/address.js';
import type { Role } from '../rules/roles.js';
import type { ActionUpdate, ChatRef, MessageUpdate, ReadUpdate } from './update.js';

/** The person behind an update, as the roster knows them. */
export interface Actor {
  id: string;
  name: string;
  openId: string;
  roles: Role[];
  bureauId: string;
  schoolId: string | null;
  schoolName: string | null;
  teachingSince: string | null;
}

/** A chat, with what it is bound to (/绑定). */
export interface ChatContext extends ChatRef {
  schoolId: string | null;
  bureauId: string | null;
}

/**
 * What dispatch needs to turn an update into a command or card action: the
 * services the command will get, and the command list. A channel (src/lark,
 * src/console) hands these over; no secrets, no platform client.
 */
export interface DispatchPorts extends Services {
  commands: readonly AnyCommand[];
}

export interface Context {
  /** The narrow services a command may use (src/ports.ts). */
  deps: Services;
  /** null: the sender is not in the roster (only `who: 'anyone'` commands see this). */
  actor: Actor | null;
  /** Where the update came from (a card action knows only the chat's id). */
  chat: { id: string };
  /** The channel the update came in on: answers and anything it sends go there. */
  channel: Channel;
  /** Business time (DUXUE_NOW or the real clock). */
  now: Date;
  /** Every command (help is generated from it). */
  commands: readonly AnyCommand[];
}

export interface CommandContext extends Context {
  update: MessageUpdate;
  actor: Actor;
  chat: ChatContext;
}

/**
 * Text read when it is shown, in the reader's language: `() => t.quota.summary`.
 * A string taken from `t` when a module loads would stay Chinese for everyone.
 */
export type Text = () => string;

/**
 * Who may run a command or press a card button: anyone (even outside the
 * roster), any staff member, or holders of one of the listed roles (`label`
 * names them in a refusal).
 */
export type Who = 'anyone' | 'staff' | { roles: readonly Role[]; label: Text };

/**
 * A command of any argument type, as lists of them hold it: each command's
 * parse and run agree on their own `A`, which a list cannot name.
 */
// biome-ignore lint/suspicious/noExplicitAny: see above (unknown would make every command's run contravariantly unassignable)
export type AnyCommand = Command<any>;

export interface Command<A = unknown> {
  /**
   * Chinese name first, then English: `/听课` and `/quota`. The English name
   * is also the command's key in the bot menu (`application.bot.menu_v6`).
   */
  names: readonly [string, string, ...string[]];
  summary: Text;
  usage: Text;
  /**
   * Parses the text after the command name. Its first issue message is shown
   * to the user: give messages as `{ error: () => t.… }` so they follow the reader's language.
   */
  args: z.ZodType<A, string>;
  who: Who;
  /** 'p2p': minors' personal data, 1:1 chats only (its card actions too: see {@link CardAction.where}). */
  where: 'any' | 'p2p' | 'group';
  /**
   * What a press refused on one of this command's cards answers (a card
   * forwarded to someone else). For minors' data, the same as a missing case,
   * so a refusal does not even tell that the case exists. Default: 这张卡片不是发给你的.
   */
  notFound?: Text;
  run(ctx: CommandContext, args: A): Promise<Reply | Reply[]>;
  /** Card buttons and forms this command's cards carry, by `value.action`. */
  actions?: Record<string, CardAction>;
  /** Read receipts of the bot's messages (a notice's cards record who opened them); answers nothing. */
  onRead?: (deps: Services, update: ReadUpdate) => Promise<void>;
}

export interface ActionContext<V = unknown> extends Context {
  update: ActionUpdate;
  actor: Actor;
  /** The button's value as the action's `value` schema parsed it. */
  value: V;
}

export interface ActionResult {
  /** Rendered per channel, as a reply's text is (a name a user typed goes in a literal span). */
  toast?: { type: 'success' | 'error' | 'info' | 'warning'; content: Rich };
  /** Replaces the card the button was on. */
  card?: Card;
}

/**
 * One card button or form, by the name its buttons carry in `value.action`
 * (its key in its command's `actions`; a name two commands define stops the
 * start: src/dispatch/actions.ts). Card actions are answered synchronously,
 * and the platform event is marked done before the action runs: a crash in
 * the middle of one loses that press, which is fine because its presser sees
 * the failure and presses again (docs/architecture.md#card-actions).
 */
// biome-ignore lint/suspicious/noExplicitAny: an action's value type is its own; a registry of them holds each with its schema
export interface CardAction<V = any> {
  who: Who;
  /**
   * 'p2p': runs only when the card is in the presser's 1:1 chat with the bot.
   * Every action of a 'p2p' command is 'p2p' whatever it says here, so a new
   * action on minors' data cannot forget it (the dispatcher checks it).
   */
  where?: 'any' | 'p2p';
  /**
   * What the button's value must hold besides `action` (and `for`, which the
   * dispatcher checks before this): a press whose value fails it — a card
   * from an older version, a forged one — is answered as an expired card and
   * never reaches `run`.
   */
  value: z.ZodType<V>;
  run(ctx: ActionContext<V>): Promise<ActionResult>;
}

/** A card action, typed by its value's schema. */
export function defineAction<V>(a: CardAction<V>): CardAction<V> {
  return a;
}

export function defineCommand<A>(c: Command<A>): Command<A> {
  return c;
}
