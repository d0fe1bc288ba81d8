import type { BarChart, Block, Button, Card, FormField, LineChart, Reply, Rich, Span, Tone } from '../messages/model.js';
import { plainOf } from '../messages/text.js';
import { safeNoticeMarkdown } from './markdown.js';

/** Lark card JSON 2.0 — https://open.feishu.cn/document/uAjLw4CM/ukzMukzMukzM/feishu-cards/card-json-v2-structure */
export type LarkCard = {
  schema: '2.0';
  config: Record<string, unknown>;
  header: Record<string, unknown>;
  body: { elements: Record<string, unknown>[] };
};

const plain = (content: string) => ({ tag: 'plain_text', content });

/**
 * User-written text inside Lark card markdown: characters that would start
 * markup become HTML character references, which Lark's markdown renders
 * literally (a backslash would show). `<` covers `<at id=all>`, `<font>` and
 * `<link>`; `[` and `]` cover links and images (parentheses are harmless
 * without them).
 */
const MD_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '*': '&#42;',
  '~': '&#126;',
  '[': '&#91;',
  ']': '&#93;',
  '`': '&#96;',
  _: '&#95;',
  '#': '&#35;',
};
export function escapeMarkdown(s: string): string {
  return s.replace(/[&<>*~[\]`_#]/g, (c) => MD_ENTITIES[c]!);
}

function spanMarkdown(s: Span): string {
  if (typeof s === 'string') return s;
  if ('markdown' in s) return safeNoticeMarkdown(s.markdown);
  let out = escapeMarkdown(s.text);
  if (s.bold) out = `**${out}**`;
  return s.tone ? `<font color='${s.tone}'>${out}</font>` : out;
}

/** Rich text → Lark card markdown: our Markdown as it is, literal spans escaped, tones as `<font>`. */
export function markdownOf(rich: Rich): string {
  return typeof rich === 'string' || !Array.isArray(rich) ? spanMarkdown(rich as Span) : (rich as readonly Span[]).map(spanMarkdown).join('');
}

export function progressBar(done: number, total: number, width = 10): string {
  if (total <= 0) return `<font color='green'>${'■'.repeat(width)}</font>`;
  const filled = Math.min(width, Math.round((Math.min(done, total) / total) * width));
  const color = done >= total ? 'green' : done > 0 ? 'orange' : 'red';
  const bar = `<font color='${color}'>${'■'.repeat(filled)}</font><font color='grey'>${'□'.repeat(width - filled)}</font>`;
  return bar;
}

function button(b: Button, extra: Record<string, unknown> = {}) {
  return {
    tag: 'button',
    text: plain(b.text),
    type: b.style ?? 'default',
    behaviors: [{ type: 'callback', value: b.value }],
    ...extra,
  };
}

function field(f: FormField): Record<string, unknown>[] {
  switch (f.kind) {
    case 'input':
      return [
        {
          tag: 'input',
          name: f.name,
          required: f.required ?? false,
          label: plain(f.label),
          label_position: 'top',
          placeholder: plain(f.placeholder ?? ''),
          ...(f.initial ? { default_value: f.initial } : {}),
          ...(f.multiline ? { input_type: 'multiline_text', rows: 3, auto_resize: true } : {}),
        },
      ];
    case 'date':
      return [
        { tag: 'markdown', content: `**${f.label}**` },
        { tag: 'date_picker', name: f.name, required: f.required ?? false, placeholder: plain(f.label), ...(f.initial ? { initial_date: f.initial } : {}) },
      ];
    case 'select':
      return [
        { tag: 'markdown', content: `**${f.label}**` },
        {
          tag: 'select_static',
          name: f.name,
          required: f.required ?? false,
          placeholder: plain(f.label),
          options: f.options.map((o) => ({ text: plain(o.text), value: o.value })),
          ...(f.initial ? { initial_option: f.initial } : {}),
        },
      ];
    case 'checkbox':
      return [{ tag: 'checker', name: f.name, checked: f.checked ?? false, text: plain(f.label) }];
  }
}

function block(b: Block): Record<string, unknown>[] {
  switch (b.type) {
    case 'markdown':
      return [{ tag: 'markdown', content: markdownOf(b.text) }];
    case 'note':
      return [{ tag: 'markdown', content: `<font color='grey'>${markdownOf(b.text)}</font>`, text_size: 'notation' }];
    case 'divider':
      return [{ tag: 'hr' }];
    case 'progress':
      return [{ tag: 'markdown', content: `${b.label} ${progressBar(b.done, b.total)} **${Math.min(b.done, b.total)}/${b.total}**` }];
    case 'fields':
      return [
        {
          tag: 'column_set',
          flex_mode: 'bisect',
          columns: b.fields.map((f) => ({
            tag: 'column',
            width: 'weighted',
            weight: 1,
            elements: [{ tag: 'markdown', content: `<font color='grey'>${f.label}</font>\n**${markdownOf(f.value)}**`, text_align: 'center' }],
          })),
        },
      ];
    case 'buttons':
      return [
        {
          tag: 'column_set',
          flex_mode: 'flow',
          columns: b.buttons.map((btn) => ({ tag: 'column', width: 'auto', elements: [button(btn)] })),
        },
      ];
    case 'form':
      return [
        {
          tag: 'form',
          name: b.name,
          elements: [
            ...b.fields.flatMap(field),
            ...(Array.isArray(b.submit) ? b.submit : [b.submit]).map((s: Button, i) =>
              button(s, { name: `${b.name}_submit${i ? `_${i}` : ''}`, form_action_type: 'submit' }),
            ),
          ],
        },
      ];
    case 'bar_chart':
      return [barChart(b)];
    case 'line_chart':
      return [lineChart(b)];
  }
}

/**
 * Charts are Lark's `chart` element: a VChart spec (no JavaScript in it, as
 * Lark requires). The console draws the same spec with VChart itself.
 * https://open.feishu.cn/document/feishu-cards/card-json-v2-components/content-components/chart
 */
function valueAxis(orient: 'left' | 'bottom', max: number | undefined) {
  return { orient, min: 0, ...(max !== undefined ? { max } : {}) };
}

/** Lark's palette for the tones, as chart colours (a chart spec takes colours, not tone names). */
const TONE_COLOURS: Record<Tone, string> = {
  blue: '#3370ff',
  wathet: '#7bc8f6',
  turquoise: '#2dbeab',
  green: '#34c724',
  yellow: '#ffc60a',
  orange: '#ff8800',
  red: '#f54a45',
  purple: '#7f3bf5',
  grey: '#8f959e',
};

function barChart(b: BarChart): Record<string, unknown> {
  const grouped = b.data.some((d) => d.group !== undefined);
  // Each group in its own tone, in the order given; only groups that have a bar (the legend lists the domain).
  const groups = (b.groups ?? []).filter((g) => b.data.some((d) => d.group === g.name));
  const values = b.data.map((d) => ({ label: d.label, value: d.value, ...(grouped ? { group: d.group ?? '' } : {}) }));
  const spec: Record<string, unknown> = {
    type: 'bar',
    title: { text: b.title },
    data: { values },
    xField: b.horizontal ? 'value' : 'label',
    yField: b.horizontal ? 'label' : 'value',
    label: { visible: true },
  };
  if (b.horizontal) spec.direction = 'horizontal';
  // One bar per label, coloured by its group: stacked, so a group is a colour, not a bar of its own beside the others.
  if (grouped) Object.assign(spec, { seriesField: 'group', stack: true, legends: { visible: true, orient: 'bottom' } });
  if (grouped && groups.length) spec.color = { type: 'ordinal', domain: groups.map((g) => g.name), range: groups.map((g) => TONE_COLOURS[g.tone]) };
  if (b.max !== undefined || b.horizontal)
    spec.axes = [valueAxis(b.horizontal ? 'bottom' : 'left', b.max), { orient: b.horizontal ? 'left' : 'bottom', type: 'band' }];
  // A bar per school: give each row room instead of squeezing them into 16:9.
  const sizing = b.horizontal ? { height: `${Math.min(999, 110 + 30 * b.data.length)}px` } : { aspect_ratio: '16:9' };
  return { tag: 'chart', ...sizing, chart_spec: spec };
}

function lineChart(b: LineChart): Record<string, unknown> {
  const values = b.series.flatMap((s) => b.x.map((x, i) => ({ week: x, value: s.values[i] ?? null, series: s.name })));
  return {
    tag: 'chart',
    aspect_ratio: '16:9',
    chart_spec: {
      type: 'line',
      title: { text: b.title },
      data: { values },
      xField: 'week',
      yField: 'value',
      seriesField: 'series',
      invalidType: 'break',
      point: { visible: true },
      legends: { visible: b.series.length > 1, orient: 'bottom' },
      axes: [valueAxis('left', b.max), { orient: 'bottom', type: 'band' }],
    },
  };
}

export function renderCard(card: Card): LarkCard {
  return {
    schema: '2.0',
    config: { update_multi: true, width_mode: 'fill' },
    header: {
      title: plain(card.title),
      ...(card.subtitle ? { subtitle: plain(card.subtitle) } : {}),
      template: card.tone,
    },
    body: { elements: card.blocks.flatMap(block) },
  };
}

/** Lark message `msg_type` + `content` for a reply. */
export function renderMessage(reply: Reply): { msgType: 'text' | 'interactive'; content: Record<string, unknown> } {
  if ('card' in reply) return { msgType: 'interactive', content: renderCard(reply.card) };
  return { msgType: 'text', content: { text: plainOf(reply.text) } };
}
