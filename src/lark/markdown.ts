/**
 * A notice's body is Markdown the official wrote: bold, lists, headings and
 * links should work. Everything Lark's card markdown would treat as markup
 * beyond that is made literal: `<at user_id="all">` (everyone would be
 * pinged), `<font>` and other tags, image syntax, and links to anything but
 * http(s). The result is our own Markdown and goes into a card as such.
 */
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '[': '&#91;', ']': '&#93;' };
const literal = (s: string) => s.replace(/[&<>[\]]/g, (c) => ENTITIES[c]!).replace(/!(?=&#91;)/g, '&#33;');

/** `[text](http…)` with a URL that cannot break out of the parentheses. */
const LINK = /\[([^[\]\n]{1,200})\]\((https?:\/\/[^\s()<>"]{1,1000})\)/g;

export function safeNoticeMarkdown(body: string): string {
  const src = body.replace(/\r\n?/g, '\n');
  let out = '';
  let last = 0;
  for (const m of src.matchAll(LINK)) {
    out += literal(src.slice(last, m.index));
    // An image is `![…](…)`: the `!` before a kept link stays literal.
    if (out.endsWith('!')) out = `${out.slice(0, -1)}&#33;`;
    out += `[${literal(m[1]!)}](${m[2]})`;
    last = m.index + m[0].length;
  }
  return out + literal(src.slice(last));
}
