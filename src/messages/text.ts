import type { Reply, Rich, Span } from './model.js';

/*
 * Plain words out of the neutral model, for any surface that shows text only:
 * a text message, a toast, a one-line summary in a list. Every channel's
 * renderer uses these for its plain text (src/lark/render.ts for Lark's).
 */

/**
 * Literal text inside a Lark `text` message. Lark reads `<at user_id="…">`
 * there (`user_id="all"` mentions everyone), `<b>`-style tags and Markdown
 * links `[text](url)`, and has no escape for them. Full-width brackets read
 * the same to a person and mean nothing to Lark. A bare URL stays as typed:
 * visible, never disguised behind other words.
 */
const TEXT_LOOKALIKES: Record<string, string> = { '<': '＜', '>': '＞', '[': '［', ']': '］' };
export function inertText(s: string): string {
  return s.replace(/[<>[\]]/g, (c) => TEXT_LOOKALIKES[c]!);
}

/**
 * Rich text → the words alone, for a Lark text message, a toast or a summary
 * line: our Markdown and styling dropped, literal spans made inert.
 * (plain_text card fields — titles, labels, buttons — Lark shows as they are.)
 */
export function plainOf(rich: Rich): string {
  const spans: readonly Span[] = typeof rich === 'string' || !Array.isArray(rich) ? [rich as Span] : (rich as readonly Span[]);
  return spans
    .map((s) => (typeof s === 'string' ? s.replace(/\*\*/g, '') : 'markdown' in s ? inertText(s.markdown.replace(/\*\*/g, '')) : inertText(s.text)))
    .join('');
}

const SUMMARY_CHARS = 60;

/** A message in one line, for lists of what was or would be sent: a card's title, or a text message's text. */
export function summaryOf(content: Reply | { larkCard?: { header?: { title?: { content?: string } } } }): string {
  const raw = 'card' in content ? content.card.title : 'text' in content ? plainOf(content.text) : (content.larkCard?.header?.title?.content ?? '');
  const line = raw.replace(/\s+/g, ' ').trim();
  return line.length > SUMMARY_CHARS ? `${line.slice(0, SUMMARY_CHARS - 1)}…` : line;
}
