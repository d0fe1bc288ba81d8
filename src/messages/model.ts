/**
 * What commands and jobs return: a small, typed, platform-neutral card model.
 * Outbox rows store it as it is; each channel renders it when it sends
 * (src/lark/render.ts: Lark card JSON 2.0, which the local console shows too).
 */
export type Tone = 'blue' | 'wathet' | 'turquoise' | 'green' | 'yellow' | 'orange' | 'red' | 'purple' | 'grey';

/**
 * Inline text. A string is our own Markdown (bold, lists, quotes, line breaks),
 * never anything a user typed. An object is literal text — a name, what a user
 * wrote — which the renderer escapes for its platform, optionally coloured or bold.
 * `{ markdown }` is Markdown someone wrote (a notice's body): the renderer keeps
 * bold, lists, headings and http(s) links and makes anything else its platform
 * would read as markup literal (for Lark: src/lark/markdown.ts).
 */
export type Span = string | { text: string; tone?: Tone; bold?: boolean } | { markdown: string };

/** Markdown a user wrote, made safe by each renderer. */
export const userMarkdown = (markdown: string): Span => ({ markdown });
export type Rich = Span | readonly Span[];

/** Literal text (escaped when rendered), optionally coloured or bold. */
export const lit = (text: string, style: { tone?: Tone; bold?: boolean } = {}): Span => ({ text, ...style });

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
  | { type: 'markdown'; text: Rich }
  | { type: 'note'; text: Rich }
  | { type: 'divider' }
  | { type: 'progress'; done: number; total: number; label: string }
  | { type: 'fields'; fields: { label: string; value: Rich }[] }
  | { type: 'buttons'; buttons: Button[] }
  /** Several submit buttons: each sends the same fields with its own value (e.g. one per person to choose from). */
  | { type: 'form'; name: string; fields: FormField[]; submit: Button | readonly Button[] }
  | BarChart
  | LineChart;

/**
 * Bars, one per label; `group` colours bars by kind (with a legend), e.g. the
 * schools with a red or a yellow card apart from the rest, in the tone
 * `groups` gives each (else the chart's own palette). `horizontal` reads
 * better for long labels (school names). `max` fixes the value axis (100 for a percentage).
 */
export interface BarChart {
  type: 'bar_chart';
  title: string;
  data: { label: string; value: number; group?: string }[];
  groups?: { name: string; tone: Tone }[];
  unit?: string;
  horizontal?: boolean;
  max?: number;
}

/**
 * Lines over shared x labels (weeks), one per series; a null value is a gap
 * (a week with nothing owed), not a zero.
 */
export interface LineChart {
  type: 'line_chart';
  title: string;
  x: string[];
  series: { name: string; values: (number | null)[] }[];
  unit?: string;
  max?: number;
}

export interface Card {
  title: string;
  subtitle?: string;
  tone: Tone;
  blocks: Block[];
}

export type Reply = { text: Rich } | { card: Card };
