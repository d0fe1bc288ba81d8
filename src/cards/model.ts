/**
 * What commands and jobs return: a small, typed card model. src/cards/render.ts
 * is the one place that turns it into Lark card JSON (schema 2.0), which both
 * Lark and the local console display.
 */
export type Tone = 'blue' | 'wathet' | 'turquoise' | 'green' | 'yellow' | 'orange' | 'red' | 'purple' | 'grey';

/** Set on a button; comes back in the card action. `action` names the handler. */
export type ActionValue = { action: string } & Record<string, string | number | boolean>;

export interface Button {
  text: string;
  style?: 'primary' | 'default' | 'danger';
  value: ActionValue;
}

export type FormField =
  | { kind: 'input'; name: string; label: string; placeholder?: string; initial?: string; required?: boolean; multiline?: boolean }
  | { kind: 'date'; name: string; label: string; initial?: string; required?: boolean }
  | { kind: 'select'; name: string; label: string; options: { text: string; value: string }[]; initial?: string; required?: boolean }
  | { kind: 'checkbox'; name: string; label: string; checked?: boolean };

export type Block =
  | { type: 'markdown'; text: string }
  | { type: 'note'; text: string }
  | { type: 'divider' }
  | { type: 'progress'; done: number; total: number; label: string }
  | { type: 'fields'; fields: { label: string; value: string }[] }
  | { type: 'buttons'; buttons: Button[] }
  | { type: 'form'; name: string; fields: FormField[]; submit: Button }
  | { type: 'bar_chart'; title: string; data: { label: string; value: number }[]; unit?: string };

export interface Card {
  title: string;
  subtitle?: string;
  tone: Tone;
  blocks: Block[];
}

export type Reply = { text: string } | { card: Card };

export const textReply = (text: string): Reply => ({ text });
export const cardReply = (card: Card): Reply => ({ card });
