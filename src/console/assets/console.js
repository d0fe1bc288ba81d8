/*
 * Duxue local console — the browser side of src/console.
 *
 * Plain ES2020, no build step of its own. Charts are drawn by VChart, loaded
 * before this file from charts.js (bundled by `npm run build:console`). Three parts:
 *   1. renderMarkdown: the Lark card markdown subset, built as DOM nodes (never innerHTML:
 *      user text ends up in cards, so nothing from the server is ever parsed as HTML);
 *   2. renderCard: Lark card JSON 2.0, exactly what src/cards/render.ts produces;
 *   3. the page: user picker, p2p chat, card actions, jobs and outbox.
 * The HTTP API it speaks is documented in the console server (src/console).
 */
'use strict';

(() => {
  // ───────────────────────── DOM helper ─────────────────────────

  /** h('div', { class: 'x', 'data-id': 1 }, child, 'text', [more]) — falsy children are skipped. */
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') el.className = v;
      else if (k === 'text') el.textContent = v;
      else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
      else el.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children.flat(Infinity)) {
      if (c === null || c === undefined || c === false || c === '') continue;
      el.append(c instanceof Node ? c : String(c));
    }
    return el;
  }

  // ───────────────────────── 1. Lark markdown ─────────────────────────
  // Supported: **bold**, *italic*, ~~strike~~, `code`, [text](url), <font color=…>, <at id=…></at>,
  // backslash escapes (escapeMarkdown in render.ts), "- " bullets, "# " headings, "> " quotes, newlines.

  const MD_COLORS = new Set(['green', 'red', 'orange', 'grey', 'gray', 'blue', 'yellow', 'purple', 'turquoise', 'wathet', 'carmine', 'violet', 'indigo', 'lime']);
  const ESCAPABLE = /[\\`*_{}[\]()#+\-.!|~<>"'/]/;
  const FONT_OPEN = /^<font\s+color\s*=\s*(['"]?)([a-zA-Z_-]+)\1\s*>/i;
  const AT_TAG = /^<at\s+(?:id|user_id|open_id)\s*=\s*(['"]?)([^'"\s>]+)\1\s*>([^<]*)<\/at>/i;

  /** Index of the unescaped closing `delim` from `from`, or -1. Emphasis does not cross lines. */
  function findClose(s, from, delim, sameLine) {
    for (let j = from; j < s.length; j++) {
      if (s[j] === '\\') { j++; continue; }
      if (sameLine && s[j] === '\n') return -1;
      if (delim === '*' && s.startsWith('**', j)) { j++; continue; }
      if (s.startsWith(delim, j)) return j;
    }
    return -1;
  }

  /** The ')' closing a link target; parentheses inside the URL must balance. */
  function findUrlClose(s, from) {
    let depth = 0;
    for (let j = from; j < s.length && s[j] !== '\n'; j++) {
      if (s[j] === '\\') { j++; continue; }
      if (s[j] === '(') depth++;
      else if (s[j] === ')' && depth-- === 0) return j;
    }
    return -1;
  }

  function findFontClose(s, from) {
    let depth = 1;
    for (let j = from; j < s.length; j++) {
      if (s[j] === '\\') { j++; continue; }
      if (s[j] !== '<') continue;
      if (/^<font\b/i.test(s.slice(j, j + 6))) depth++;
      else if (s.slice(j, j + 7).toLowerCase() === '</font>' && --depth === 0) return j;
    }
    return -1;
  }

  const ENTITY = /^&(#\d{1,6}|#x[0-9a-fA-F]{1,6}|amp|lt|gt|quot|nbsp);/;
  const NAMED = { amp: '&', lt: '<', gt: '>', quot: '"', nbsp: '\u00a0' };
  function decodeEntity(e) {
    if (e[0] !== '#') return NAMED[e];
    const n = e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return n > 0 && n <= 0x10ffff ? String.fromCodePoint(n) : '';
  }

  const unescapeMd = (s) => s.replace(/\\(.)/g, (m, c) => (ESCAPABLE.test(c) ? c : m));

  /** Markdown → a small tree: {t:'text',v} | {t:'br'} | {t:'li'} | {t:'h',level} | {t:'el',tag,cls,href,kids}. */
  function parseInline(s, lineStart, ctx) {
    const out = [];
    let text = '';
    const flush = () => { if (text) out.push({ t: 'text', v: text }); text = ''; };
    const wrap = (tag, inner, atStart, cls) => ({ t: 'el', tag, cls, kids: parseInline(inner, atStart, ctx) });
    let i = 0;
    while (i < s.length) {
      const c = s[i];
      const atLineStart = i === 0 ? lineStart : s[i - 1] === '\n';
      if (atLineStart) {
        const block = /^(?:(- )|(#{1,4}) |(> ))/.exec(s.slice(i));
        if (block) {
          flush();
          out.push(block[1] ? { t: 'li' } : block[2] ? { t: 'h', level: block[2].length } : { t: 'quote' });
          i += block[0].length;
          continue;
        }
      }
      if (c === '\\' && i + 1 < s.length && ESCAPABLE.test(s[i + 1])) { text += s[i + 1]; i += 2; continue; }
      if (c === '&') {
        // Character references: how escapeMarkdown in render.ts protects user text.
        const ent = ENTITY.exec(s.slice(i, i + 12));
        if (ent) { text += decodeEntity(ent[1]); i += ent[0].length; continue; }
      }
      if (c === '\n') { flush(); out.push({ t: 'br' }); i++; continue; }
      if (c === '*' || c === '~') {
        const delim = c === '~' ? '~~' : s[i + 1] === '*' ? '**' : '*';
        const from = i + delim.length;
        const end = s.startsWith(delim, i) && !/\s/.test(s[from] || ' ') ? findClose(s, from, delim, true) : -1;
        if (end > from) {
          flush();
          out.push(wrap({ '**': 'strong', '*': 'em', '~~': 'del' }[delim], s.slice(from, end), false));
          i = end + delim.length;
          continue;
        }
      }
      if (c === '`') {
        const end = findClose(s, i + 1, '`', true);
        if (end > i + 1) { flush(); out.push({ t: 'el', tag: 'code', kids: [{ t: 'text', v: s.slice(i + 1, end) }] }); i = end + 1; continue; }
      }
      if (c === '[') {
        const close = findClose(s, i + 1, ']', true);
        if (close > i + 1 && s[close + 1] === '(') {
          const urlEnd = findUrlClose(s, close + 2);
          if (urlEnd > close + 2) {
            flush();
            const link = wrap('a', s.slice(i + 1, close), false);
            const href = safeUrl(unescapeMd(s.slice(close + 2, urlEnd).trim()));
            if (href) link.href = href; else link.tag = 'span';
            out.push(link);
            i = urlEnd + 1;
            continue;
          }
        }
      }
      if (c === '<') {
        const rest = s.slice(i);
        const font = FONT_OPEN.exec(rest);
        const end = font ? findFontClose(s, i + font[0].length) : -1;
        if (font && end >= 0) {
          flush();
          const color = font[2].toLowerCase() === 'gray' ? 'grey' : font[2].toLowerCase();
          out.push(wrap('span', s.slice(i + font[0].length, end), atLineStart, MD_COLORS.has(color) ? `md-c-${color}` : ''));
          i = end + '</font>'.length;
          continue;
        }
        const at = AT_TAG.exec(rest);
        if (at) {
          flush();
          out.push({ t: 'el', tag: 'span', cls: 'md-at', kids: [{ t: 'text', v: '@' + atName(at[2], at[3], ctx) }] });
          i += at[0].length;
          continue;
        }
      }
      text += c;
      i++;
    }
    flush();
    return out;
  }

  function atName(id, inner, ctx) {
    if (id === 'all') return '所有人';
    const name = ctx && ctx.nameOf ? ctx.nameOf(id) : null;
    return name || inner.trim() || id;
  }

  function safeUrl(url) {
    try {
      const u = new URL(url, location.href);
      return ['http:', 'https:', 'mailto:'].includes(u.protocol) ? u.href : null;
    } catch { return null; }
  }

  /** Splits the tree at line breaks, repeating the wrappers (a <font> may span lines). */
  function splitLines(nodes) {
    const lines = [[]];
    for (const n of nodes) {
      if (n.t === 'br') lines.push([]);
      else if (n.t === 'el') {
        splitLines(n.kids).forEach((part, k) => {
          if (k > 0) lines.push([]);
          if (part.length) lines[lines.length - 1].push({ ...n, kids: part });
        });
      } else lines[lines.length - 1].push(n);
    }
    return lines;
  }

  /** Removes and returns a leading list/heading marker, however deeply it is wrapped. */
  function takeMarker(line) {
    let nodes = line;
    while (nodes.length) {
      const first = nodes[0];
      if (first.t === 'li' || first.t === 'h' || first.t === 'quote') { nodes.shift(); return first; }
      if (first.t !== 'el') return null;
      nodes = first.kids;
    }
    return null;
  }

  /** Numbers and codes (`15/21(71%)`, a student number, 2026-11-24) kept on one line: a narrow card wraps around them, never inside. */
  const WHOLE = /[A-Za-z0-9](?:[A-Za-z0-9%/().:+-]*[A-Za-z0-9%)])?/g;
  function textDom(v) {
    const frag = document.createDocumentFragment();
    let at = 0;
    for (const m of v.matchAll(WHOLE)) {
      if (!/[0-9]/.test(m[0]) || m[0].length < 4) continue;
      if (m.index > at) frag.append(document.createTextNode(v.slice(at, m.index)));
      frag.append(h('span', { class: 'nw' }, m[0]));
      at = m.index + m[0].length;
    }
    if (at < v.length) frag.append(document.createTextNode(v.slice(at)));
    return frag;
  }

  function toDom(n) {
    if (n.t === 'text') return textDom(n.v);
    if (n.t !== 'el') return document.createTextNode('');
    const el = document.createElement(n.tag);
    if (n.cls) el.className = n.cls;
    if (n.tag === 'a') { el.href = n.href; el.target = '_blank'; el.rel = 'noopener noreferrer'; }
    el.append(...n.kids.map(toDom));
    return el;
  }

  function renderMarkdown(src, ctx) {
    const root = h('div', { class: 'md' });
    const lines = splitLines(parseInline(String(src == null ? '' : src), true, ctx));
    while (lines.length > 1 && !lines[lines.length - 1].length) lines.pop();
    let list = null;
    for (const line of lines) {
      const marker = takeMarker(line);
      if (marker && marker.t === 'li') {
        if (!list) root.append((list = h('ul', { class: 'md-list' })));
        list.append(h('li', {}, line.map(toDom)));
        continue;
      }
      list = null;
      if (!line.length && !marker) { root.append(h('div', { class: 'md-blank' })); continue; }
      const cls = !marker ? 'md-line' : marker.t === 'quote' ? 'md-line md-quote' : `md-line md-h md-h${marker.level}`;
      root.append(h('div', { class: cls }, line.map(toDom)));
    }
    return root;
  }

  // ───────────────────────── 2. Lark card JSON 2.0 ─────────────────────────

  const TEMPLATES = new Set(['blue', 'wathet', 'turquoise', 'green', 'yellow', 'orange', 'red', 'purple', 'grey', 'indigo', 'violet', 'carmine']);
  const BUTTON_TYPES = new Set(['default', 'primary', 'danger', 'text', 'primary_filled', 'danger_filled', 'primary_text', 'danger_text', 'laser']);

  const textOf = (x) => (x == null ? '' : typeof x === 'string' ? x : x.content != null ? String(x.content) : '');
  const unsupported = (tag) => h('div', { class: 'card-unsupported' }, `[不支持的组件: ${tag}]`);

  /**
   * Lark card JSON 2.0 → DOM. ctx: { nameOf(openId), onButton(element, buttonEl, formEl|null) }.
   * Never throws: anything it cannot show becomes a grey placeholder.
   */
  function renderCard(card, ctx = {}) {
    const root = h('div', { class: 'card' });
    try {
      if (!card || typeof card !== 'object') {
        root.append(unsupported('card'));
        return root;
      }
      if (card.config && card.config.width_mode === 'fill') root.classList.add('card-fill');
      const header = card.header;
      if (header && header.title) {
        const tpl = TEMPLATES.has(header.template) ? header.template : 'default';
        root.append(h('div', { class: `card-header card-header-${tpl}` },
          h('div', { class: 'card-title' }, textOf(header.title)),
          header.subtitle && textOf(header.subtitle) && h('div', { class: 'card-subtitle' }, textOf(header.subtitle))));
      }
      const elements = (card.body && card.body.elements) || card.elements || [];
      root.append(h('div', { class: 'card-body' }, renderElements(elements, ctx)));
    } catch (e) {
      root.append(unsupported('card'));
    }
    return root;
  }

  function renderElements(list, ctx) {
    return (Array.isArray(list) ? list : []).map((el) => {
      try { return renderElement(el, ctx); } catch { return unsupported(el && el.tag); }
    });
  }

  function renderElement(el, ctx) {
    if (!el || typeof el !== 'object') return unsupported(String(el));
    switch (el.tag) {
      case 'markdown':
      case 'lark_md': {
        const md = renderMarkdown(el.content, ctx);
        if (el.text_size === 'notation') md.classList.add('md-notation');
        if (['left', 'center', 'right'].includes(el.text_align)) md.style.textAlign = el.text_align;
        return md;
      }
      case 'plain_text':
        return h('div', { class: 'md' }, textOf(el));
      case 'div':
        return el.text && el.text.tag === 'lark_md' ? renderMarkdown(el.text.content, ctx) : h('div', { class: 'md' }, textOf(el.text));
      case 'hr':
        return h('hr', { class: 'card-hr' });
      case 'column_set':
        return renderColumnSet(el, ctx);
      case 'column':
        return h('div', { class: 'col' }, renderElements(el.elements, ctx));
      case 'button':
        return renderButton(el, ctx);
      case 'form':
        return renderForm(el, ctx);
      case 'input':
        return renderInput(el);
      case 'date_picker':
        return field(el, h('input', { type: 'date', name: el.name, value: el.initial_date, 'aria-label': textOf(el.placeholder) || el.name }));
      case 'select_static':
        return renderSelect(el);
      case 'checker':
        return renderChecker(el);
      case 'chart':
        return renderChart(el);
      default:
        return unsupported(el.tag || '?');
    }
  }

  function renderColumnSet(el, ctx) {
    const mode = String(el.flex_mode || 'none').replace(/[^a-z]/g, '');
    return h('div', { class: `col-set col-set-${mode}` }, (el.columns || []).map((col) => {
      const weighted = col.width !== 'auto';
      const node = h('div', { class: weighted ? 'col col-weighted' : 'col col-auto' }, renderElements(col.elements, ctx));
      if (weighted) node.style.flexGrow = String(Number(col.weight) > 0 ? Number(col.weight) : 1);
      if (['center', 'bottom'].includes(col.vertical_align)) node.classList.add(`col-v-${col.vertical_align}`);
      return node;
    }));
  }

  function renderButton(el, ctx) {
    const type = BUTTON_TYPES.has(el.type) ? el.type : 'default';
    const btn = h('button', { type: 'button', class: `btn btn-${type.replace('_', '-')}`, 'data-name': el.name }, textOf(el.text));
    if (el.disabled) btn.disabled = true;
    btn.addEventListener('click', () => ctx.onButton && ctx.onButton(el, btn, ctx.form || null));
    return btn;
  }

  function renderForm(el, ctx) {
    const form = h('form', { class: 'card-form', 'data-form-name': el.name, novalidate: true, onsubmit: (e) => e.preventDefault() });
    form.append(...renderElements(el.elements, { ...ctx, form }), h('div', { class: 'form-hint', 'aria-live': 'polite' }));
    return form;
  }

  /** Wraps a form control; data-field marks what collectForm reads. */
  function field(el, control, labelText) {
    control.dataset.field = '1';
    if (el.required) { control.dataset.required = '1'; control.setAttribute('aria-required', 'true'); }
    control.dataset.label = labelText || textOf(el.placeholder) || el.name || '';
    control.addEventListener('input', () => control.closest('.field').classList.remove('field-invalid'));
    control.addEventListener('change', () => control.closest('.field').classList.remove('field-invalid'));
    return h('div', { class: 'field' },
      labelText && h('label', { class: 'field-label' }, labelText, el.required && h('span', { class: 'req', 'aria-hidden': 'true' }, ' *')),
      control);
  }

  function renderInput(el) {
    const multiline = el.input_type === 'multiline_text';
    const attrs = { name: el.name, placeholder: textOf(el.placeholder), maxlength: el.max_length };
    const control = multiline ? h('textarea', { ...attrs, rows: el.rows || 3 }) : h('input', { ...attrs, type: 'text' });
    if (el.default_value != null) control.value = String(el.default_value);
    const label = textOf(el.label);
    if (label) control.id = `f-${Math.random().toString(36).slice(2, 9)}`;
    const wrapper = field(el, control, label);
    const labelEl = wrapper.querySelector('label');
    if (labelEl) labelEl.htmlFor = control.id;
    return wrapper;
  }

  function renderSelect(el) {
    const options = Array.isArray(el.options) ? el.options : [];
    const hasInitial = options.some((o) => o.value === el.initial_option);
    const select = h('select', { name: el.name, 'aria-label': textOf(el.placeholder) || el.name },
      h('option', { value: '', disabled: true, hidden: true }, textOf(el.placeholder) || '请选择'),
      options.map((o) => h('option', { value: o.value }, textOf(o.text))));
    select.value = hasInitial ? el.initial_option : '';
    select.classList.toggle('is-empty', !hasInitial);
    select.addEventListener('change', () => select.classList.toggle('is-empty', !select.value));
    return field(el, select);
  }

  function renderChecker(el) {
    const box = h('input', { type: 'checkbox', name: el.name });
    box.checked = Boolean(el.checked);
    const wrapper = field(el, box);
    wrapper.classList.add('field-checker');
    const label = h('label', { class: 'checker' }, box, h('span', {}, textOf(el.text)));
    wrapper.replaceChildren(label);
    return wrapper;
  }

  /**
   * Lark's `chart` element: the card's VChart spec drawn by VChart itself
   * (charts.js, bundled by `npm run build:console`), sized as Lark sizes it
   * (`height` in px, else `aspect_ratio`). The chart is made once the box is
   * laid out (VChart measures it) and released when the box leaves the page.
   * Without the bundle, bars and lines fall back to plain CSS bars.
   */
  const RATIOS = { '1:1': 1, '2:1': 0.5, '4:3': 0.75, '16:9': 0.5625 };
  function renderChart(el) {
    const spec = el.chart_spec || {};
    if (typeof window.VChart !== 'function') return renderChartFallback(spec);
    const px = /^(\d{1,3})px$/.exec(String(el.height || ''));
    const ratio = RATIOS[el.aspect_ratio] || RATIOS['16:9'];
    const box = h('div', { class: 'chart chart-vchart', 'data-chart-type': String(spec.type || '') });
    let chart = null;
    const observer = new ResizeObserver(() => {
      if (!box.isConnected) {
        observer.disconnect();
        if (chart) chart.release();
        chart = null;
        return;
      }
      const width = box.clientWidth;
      if (!width) return;
      const height = px ? Number(px[1]) : Math.round(width * ratio);
      if (!chart) {
        box.style.height = `${height}px`;
        try {
          chart = new window.VChart(JSON.parse(JSON.stringify(spec)), { dom: box, animation: false });
          chart.renderSync();
          box.dataset.rendered = '1';
        } catch (e) {
          chart = null;
          box.replaceWith(renderChartFallback(spec));
          observer.disconnect();
        }
      } else {
        chart.resize(width, height);
      }
    });
    observer.observe(box);
    return box;
  }

  /** Without VChart: bars as CSS bars; a line chart as one row of bars per series (its last value). */
  function renderChartFallback(spec) {
    const data = Array.isArray(spec.data) ? spec.data[0] : spec.data;
    const values = data && data.values;
    if (!Array.isArray(values)) return unsupported('chart');
    const horizontal = spec.direction === 'horizontal';
    const xf = horizontal ? spec.yField : spec.xField || 'x';
    const yf = horizontal ? spec.xField : Array.isArray(spec.yField) ? spec.yField[0] : spec.yField || 'y';
    // A bar's group in the colour the spec gives it (a carded school's bar), as VChart would draw it.
    const palette = spec.color && Array.isArray(spec.color.domain) && Array.isArray(spec.color.range) ? spec.color : null;
    const colourOf = (v) => (palette && spec.type === 'bar' && spec.seriesField ? palette.range[palette.domain.indexOf(v[spec.seriesField])] : undefined);
    const rows = values
      .filter((v) => v[yf] !== null && v[yf] !== undefined)
      .map((v) => ({ label: [v[xf], spec.seriesField && spec.type === 'line' ? v[spec.seriesField] : null].filter((x) => x != null).join(' '), value: Number(v[yf]) || 0, colour: colourOf(v) }));
    const max = Math.max(0, ...rows.map((r) => r.value));
    const title = spec.title ? textOf(spec.title.text) : '';
    return h('figure', { class: 'chart' },
      title && h('figcaption', { class: 'chart-title' }, title),
      rows.length ? rows.map((r) => {
        const bar = h('div', { class: 'chart-bar' });
        bar.style.width = `${max > 0 ? Math.max(0, (r.value / max) * 100) : 0}%`;
        if (r.colour) bar.style.background = r.colour;
        return h('div', { class: 'chart-row' },
          h('span', { class: 'chart-label', title: r.label }, r.label),
          h('div', { class: 'chart-track' }, bar),
          h('span', { class: 'chart-value' }, String(r.value)));
      }) : h('div', { class: 'chart-empty' }, '暂无数据'));
  }

  /** Form values keyed by field name, or the fields that are required and empty. */
  function collectForm(form) {
    const values = {};
    const missing = [];
    for (const c of form.querySelectorAll('[data-field]')) {
      const v = c.type === 'checkbox' ? c.checked : c.value;
      values[c.name] = v;
      if (c.dataset.required === '1' && typeof v === 'string' && !v.trim()) missing.push(c);
    }
    return { values, missing };
  }

  // ───────────────────────── 3. the page ─────────────────────────

  const $ = (sel) => document.querySelector(sel);
  const els = {
    nowText: $('#now-text'), conn: $('#conn'), users: $('#user-list'), messages: $('#messages'),
    chatTitle: $('#chat-title'), chatSubtitle: $('#chat-subtitle'), chatAvatar: $('#chat-avatar'),
    input: $('#chat-input'), send: $('#chat-send'), jobs: $('#job-buttons'), jobAt: $('#job-at'),
    jobResult: $('#job-result'), outbox: $('#outbox tbody'), outboxRefresh: $('#outbox-refresh'), toasts: $('#toasts'),
    menu: $('#bot-menu'),
  };
  const STORAGE_KEY = 'duxue.console.openId';
  const TZ = 'Asia/Shanghai';
  const state = {
    users: [], jobs: [], menu: [], openId: null, now: null,
    serverCards: new Map(), // messageId → card JSON (string) as the server last sent it
    overrides: new Map(), // messageId → { base, card }: card replaced by an action response
    seq: 0, appliedSeq: 0, busy: 0, sending: false,
    cursor: null, // the revision of the newest change the page has of the open chat: polls and replies bring only what changed after it
  };

  const userOf = (openId) => state.users.find((u) => u.openId === openId) || null;
  const nameOf = (openId) => { const u = userOf(openId); return u ? u.name : null; };

  // API: JSON both ways; errors carry the server's Chinese { error }.
  async function api(method, path, body) {
    let res;
    try {
      res = await fetch(path, {
        method,
        headers: body === undefined ? { accept: 'application/json' } : { 'content-type': 'application/json', accept: 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new Error('无法连接到本地服务，请确认 npm start 仍在运行');
    }
    let data = null;
    try { data = await res.json(); } catch { /* empty or non-JSON body */ }
    // Refusals the page can cause come back as 200 { error } (a 4xx would be logged as a console error).
    if (!res.ok || (data && typeof data.error === 'string')) throw new Error((data && data.error) || `请求失败（HTTP ${res.status}）`);
    return data || {};
  }

  function toast(type, content) {
    const kind = ['success', 'error', 'info', 'warning'].includes(type) ? type : 'info';
    const t = h('div', { class: `toast toast-${kind}`, role: 'status' }, String(content || ''));
    els.toasts.append(t);
    setTimeout(() => { t.classList.add('toast-leave'); setTimeout(() => t.remove(), 300); }, 3000);
  }

  const fmt = (opts) => new Intl.DateTimeFormat('zh-CN', { timeZone: TZ, hour12: false, ...opts });
  const fmtDay = fmt({ year: 'numeric', month: '2-digit', day: '2-digit' });
  const fmtTime = fmt({ hour: '2-digit', minute: '2-digit' });
  const fmtDayShort = fmt({ month: 'numeric', day: 'numeric' });
  function timeText(iso) {
    if (!iso) return '';
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) return '';
    // Messages are stamped with the real time (the business clock may be fixed by DUXUE_NOW).
    const sameDay = fmtDay.format(d) === fmtDay.format(new Date());
    return sameDay ? fmtTime.format(d) : `${fmtDayShort.format(d)} ${fmtTime.format(d)}`;
  }

  const PALETTE = ['#3370ff', '#7f3bf5', '#00a8a8', '#f07a00', '#d83931', '#2ea121', '#4954e6', '#c33fba'];
  function avatarFor(user, el) {
    const name = (user && user.name) || '?';
    let hash = 0;
    for (const ch of (user && user.openId) || name) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
    el.textContent = name.length > 2 ? name.slice(-2) : name;
    el.style.background = PALETTE[hash % PALETTE.length];
    return el;
  }

  // ── users ──
  function renderUsers() {
    els.users.replaceChildren(...state.users.map((u) => h('li', {},
      h('button', { type: 'button', class: 'user-item', 'data-open-id': u.openId, 'aria-pressed': String(u.openId === state.openId), onclick: () => selectUser(u.openId) },
        avatarFor(u, h('span', { class: 'avatar avatar-user', 'aria-hidden': 'true' })),
        h('span', { class: 'user-text' },
          h('span', { class: 'user-name' }, u.name),
          // Only namesakes of one school with the same roles carry it: what tells them apart.
          u.apart && h('span', { class: 'user-apart' }, u.apart),
          h('span', { class: 'user-roles' }, (u.roles || []).map((r) => h('span', { class: 'role-tag' }, r))),
          h('span', { class: 'user-school' }, u.school || '（教育局）'))))));
  }

  function selectUser(openId) {
    if (!userOf(openId)) return;
    const changed = openId !== state.openId;
    state.openId = openId;
    try { localStorage.setItem(STORAGE_KEY, openId); } catch { /* storage disabled */ }
    const hash = `#u=${encodeURIComponent(openId)}`;
    if (location.hash !== hash) history.replaceState(null, '', hash);
    for (const b of els.users.querySelectorAll('.user-item')) {
      b.setAttribute('aria-pressed', String(b.dataset.openId === openId));
      // On a phone the picker is one horizontal strip: keep the chosen person in view.
      if (b.dataset.openId === openId) b.scrollIntoView({ block: 'nearest', inline: 'nearest' });
    }
    const u = userOf(openId);
    avatarFor(u, els.chatAvatar);
    els.chatTitle.textContent = `${u.name} 与 督学 的单聊`;
    els.chatSubtitle.textContent = [(u.roles || []).join('、'), u.school || '教育局', u.apart].filter(Boolean).join(' · ');
    if (changed) {
      els.messages.replaceChildren();
      state.cursor = null;
      loadMessages();
    }
  }

  function initialUser() {
    const fromHash = new URLSearchParams(location.hash.slice(1)).get('u');
    let stored = null;
    try { stored = localStorage.getItem(STORAGE_KEY); } catch { /* storage disabled */ }
    return [fromHash, stored].find((id) => id && userOf(id)) || (state.users[0] && state.users[0].openId);
  }

  // ── messages ──
  const nearBottom = () => els.messages.scrollHeight - els.messages.scrollTop - els.messages.clientHeight < 80;
  const scrollToBottom = () => { els.messages.scrollTop = els.messages.scrollHeight; };

  function effectiveCard(m) {
    const o = state.overrides.get(m.id);
    if (o && o.base === JSON.stringify(m.card)) return o.card;
    state.overrides.delete(m.id); // the server has a newer version of this card
    return m.card;
  }

  function renderMessage(m) {
    const bot = m.from === 'bot';
    const user = userOf(state.openId);
    let content;
    if (m.msgType === 'interactive') {
      content = renderCard(effectiveCard(m), { nameOf, onButton: (el, btn, form) => onCardButton(m.id, el, btn, form) });
    } else if (m.msgType === 'text' || m.text != null) {
      content = h('div', { class: 'bubble' }, m.text || '');
    } else {
      content = h('div', { class: 'bubble bubble-muted' }, `[不支持的消息类型: ${m.msgType}]`);
    }
    const avatar = bot ? h('span', { class: 'avatar avatar-bot', 'aria-hidden': 'true' }, '督学')
      : avatarFor(user, h('span', { class: 'avatar avatar-user', 'aria-hidden': 'true' }));
    return h('div', { class: `msg ${bot ? 'msg-bot' : 'msg-user'}${m.pending ? ' msg-pending' : ''}`, 'data-message-id': m.id },
      avatar,
      h('div', { class: 'msg-body' },
        h('div', { class: 'msg-meta' }, h('span', { class: 'msg-name' }, bot ? '督学' : (user && user.name) || '我'), h('time', { datetime: m.at }, timeText(m.at))),
        content));
  }

  const signature = (m) => JSON.stringify([m.from, m.msgType, m.text, m.msgType === 'interactive' ? effectiveCard(m) : null]);

  /**
   * A reply from the server: the whole chat, or (`since` set) only what changed
   * after the cursor the page sent. Either way only new or changed messages are
   * drawn; the rest keep their DOM (and half-filled forms).
   */
  function applyChat(data, openId, seq) {
    if (openId !== state.openId || seq < state.appliedSeq) return;
    if (data && data.since != null) applyChanges(data.messages, seq);
    else applyMessages(data && data.messages, openId, seq);
    if (data && typeof data.cursor === 'number') state.cursor = Math.max(state.cursor || 0, data.cursor);
  }

  function prepare(m) {
    if (typeof m.card === 'string') { try { m.card = JSON.parse(m.card); } catch { /* shown as unsupported */ } }
    if (m.msgType === 'interactive') state.serverCards.set(m.id, JSON.stringify(m.card));
    return m;
  }

  /** Messages added or cards replaced since the cursor: each drawn in its place (a new one at the end), nothing else touched. */
  function applyChanges(list, seq) {
    state.appliedSeq = seq;
    const stick = nearBottom();
    let added = false;
    for (const m of (Array.isArray(list) ? list : []).map(prepare)) {
      const sig = signature(m);
      const el = els.messages.querySelector(`.msg[data-message-id="${CSS.escape(m.id)}"]`);
      if (el && el.dataset.sig === sig) continue;
      const fresh = renderMessage(m);
      fresh.dataset.sig = sig;
      if (el) el.replaceWith(fresh);
      else { els.messages.append(fresh); added = true; }
    }
    if (added) els.messages.querySelector('.messages-empty')?.remove();
    if (added && (stick || seq === state.seq)) scrollToBottom();
  }

  /** Reconciles the list in place: unchanged messages keep their DOM (and half-filled forms). */
  function applyMessages(list, openId, seq) {
    if (openId !== state.openId || seq < state.appliedSeq) return;
    state.appliedSeq = seq;
    const stick = nearBottom();
    const existing = new Map();
    for (const el of els.messages.querySelectorAll('.msg')) existing.set(el.dataset.messageId, el);
    let added = false;
    const ordered = (Array.isArray(list) ? list : []).map(prepare).map((m) => {
      const sig = signature(m);
      let el = existing.get(m.id);
      existing.delete(m.id);
      if (!el || el.dataset.sig !== sig) {
        const fresh = renderMessage(m);
        fresh.dataset.sig = sig;
        if (el) el.replaceWith(fresh); else added = true;
        el = fresh;
      }
      return el;
    });
    for (const el of existing.values()) el.remove();
    const current = [...els.messages.querySelectorAll('.msg')];
    if (current.length !== ordered.length || ordered.some((el, k) => current[k] !== el)) els.messages.append(...ordered);
    const empty = els.messages.querySelector('.messages-empty');
    if (!ordered.length && !empty) els.messages.append(h('div', { class: 'messages-empty' }, '还没有消息。点下方菜单，或直接输入命令。'));
    if (ordered.length && empty) empty.remove();
    if (added && (stick || seq === state.seq)) scrollToBottom();
  }

  async function loadMessages({ quiet = false } = {}) {
    const openId = state.openId;
    if (!openId) return;
    const seq = ++state.seq;
    try {
      const after = state.cursor == null ? '' : `&since=${state.cursor}`;
      const data = await api('GET', `/console/api/messages?openId=${encodeURIComponent(openId)}${after}`);
      els.conn.hidden = true;
      applyChat(data, openId, seq);
    } catch (e) {
      if (quiet) els.conn.hidden = false; else toast('error', e.message);
    }
  }

  function setTyping(on) {
    const old = els.messages.querySelector('.typing');
    if (old) old.remove();
    if (on) {
      els.messages.append(h('div', { class: 'typing', 'aria-label': '督学正在回复' },
        h('span', { class: 'avatar avatar-bot', 'aria-hidden': 'true' }, '督学'), h('span', { class: 'typing-dots' }, h('i'), h('i'), h('i'))));
      scrollToBottom();
    }
  }

  async function send(raw) {
    const text = String(raw || '').trim();
    const openId = state.openId;
    if (!text || !openId || state.sending) return;
    state.sending = true;
    state.busy++;
    els.send.disabled = true;
    if (raw === els.input.value) { els.input.value = ''; autosize(); }
    const pending = renderMessage({ id: `pending-${Date.now()}`, from: 'user', at: new Date().toISOString(), msgType: 'text', text, pending: true });
    els.messages.querySelector('.messages-empty')?.remove();
    els.messages.append(pending);
    setTyping(true);
    try {
      const data = await api('POST', '/console/api/messages', { openId, text, ...(state.cursor == null ? {} : { since: state.cursor }) });
      setTyping(false);
      applyChat(data, openId, ++state.seq);
      loadOutbox({ quiet: true });
    } catch (e) {
      setTyping(false);
      pending.remove();
      if (!els.input.value) { els.input.value = text; autosize(); }
      toast('error', e.message);
    } finally {
      state.sending = false;
      state.busy--;
      els.send.disabled = false;
      pending.remove();
      els.input.focus();
    }
  }

  // A bot menu item: Lark sends the bot its key (a command's English name); so does the console.
  async function pressMenu(key) {
    const openId = state.openId;
    if (!openId || state.sending) return;
    state.sending = true;
    state.busy++;
    const items = [...els.menu.querySelectorAll('button')];
    items.forEach((b) => { b.disabled = true; });
    setTyping(true);
    try {
      const data = await api('POST', '/console/api/menu', { openId, key, ...(state.cursor == null ? {} : { since: state.cursor }) });
      setTyping(false);
      applyChat(data, openId, ++state.seq);
      loadOutbox({ quiet: true });
    } catch (e) {
      setTyping(false);
      toast('error', e.message);
    } finally {
      state.sending = false;
      state.busy--;
      items.forEach((b) => { b.disabled = false; });
    }
  }

  function renderMenu() {
    els.menu.replaceChildren(...state.menu.map((m) =>
      h('button', { type: 'button', class: 'menu-item', 'data-menu-key': m.key, title: `event_key: ${m.key}` }, m.name)));
    for (const b of els.menu.querySelectorAll('[data-menu-key]')) b.addEventListener('click', () => pressMenu(b.dataset.menuKey));
  }

  async function onCardButton(messageId, el, btn, form) {
    const behaviors = Array.isArray(el.behaviors) ? el.behaviors : [];
    const openUrl = behaviors.find((b) => b && b.type === 'open_url');
    const callback = behaviors.find((b) => b && b.type === 'callback');
    const isSubmit = Boolean(form) && el.form_action_type === 'submit';
    if (form && el.form_action_type === 'reset') { form.reset(); return; }
    if (openUrl) {
      const url = safeUrl(openUrl.default_url || openUrl.pc_url || '');
      if (url) window.open(url, '_blank', 'noopener');
    }
    if (!callback && !isSubmit && el.value === undefined) { if (!openUrl) toast('info', '这个按钮没有设置回调'); return; }

    let formValues = null;
    if (isSubmit) {
      const { values, missing } = collectForm(form);
      const hint = form.querySelector('.form-hint');
      for (const c of form.querySelectorAll('.field-invalid')) c.classList.remove('field-invalid');
      if (missing.length) {
        for (const c of missing) c.closest('.field').classList.add('field-invalid');
        hint.textContent = `请先填写：${missing.map((c) => c.dataset.label).join('、')}`;
        missing[0].focus();
        return;
      }
      hint.textContent = '';
      formValues = values;
    }

    const openId = state.openId;
    const cardEl = btn.closest('.card');
    const controls = cardEl ? [...cardEl.querySelectorAll('button, input, select, textarea')].filter((c) => !c.disabled) : [btn];
    controls.forEach((c) => { c.disabled = true; });
    btn.classList.add('is-loading');
    cardEl && cardEl.classList.add('card-busy');
    state.busy++;
    let replaced = false;
    try {
      const value = callback ? callback.value : el.value;
      const res = await api('POST', '/console/api/actions', { openId, messageId, value: value == null ? {} : value, form: formValues });
      if (res.toast && res.toast.content) toast(res.toast.type, res.toast.content);
      if (res.card && cardEl && openId === state.openId) {
        state.overrides.set(messageId, { base: state.serverCards.get(messageId), card: res.card });
        const msgEl = cardEl.closest('.msg');
        const fresh = renderCard(res.card, { nameOf, onButton: (e2, b2, f2) => onCardButton(messageId, e2, b2, f2) });
        cardEl.replaceWith(fresh);
        if (msgEl) msgEl.dataset.sig = '';
        replaced = true;
      }
    } catch (e) {
      toast('error', e.message);
    } finally {
      state.busy--;
      if (!replaced) {
        controls.forEach((c) => { c.disabled = false; });
        btn.classList.remove('is-loading');
        cardEl && cardEl.classList.remove('card-busy');
      }
    }
    if (openId === state.openId) await loadMessages();
    loadOutbox({ quiet: true });
  }

  // ── composer ──
  function autosize() {
    els.input.style.height = 'auto';
    els.input.style.height = `${Math.min(els.input.scrollHeight, 140)}px`;
  }

  els.input.addEventListener('input', autosize);
  els.input.addEventListener('keydown', (e) => {
    // Enter while an IME is composing Chinese confirms the candidate; it must not send.
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
      e.preventDefault();
      send(els.input.value);
    }
  });
  els.send.addEventListener('click', () => send(els.input.value));

  // ── jobs ──
  function renderJobs() {
    els.jobs.replaceChildren(...state.jobs.map((j) =>
      h('button', { type: 'button', class: 'btn job-btn', 'data-job': j.name, title: j.name }, `▶ ${j.label || j.name}`)));
    if (!state.jobs.length) els.jobs.append(h('p', { class: 'muted' }, '没有可运行的任务'));
    for (const b of els.jobs.querySelectorAll('[data-job]')) b.addEventListener('click', () => runJob(b.dataset.job, b));
  }

  async function runJob(name, btn) {
    const job = state.jobs.find((j) => j.name === name) || { name, label: name };
    const at = els.jobAt.value ? new Date(`${els.jobAt.value.length === 16 ? `${els.jobAt.value}:00` : els.jobAt.value}+08:00`) : null;
    if (at && Number.isNaN(at.getTime())) { toast('warning', '运行时间格式不正确'); return; }
    btn.disabled = true;
    btn.classList.add('is-loading');
    try {
      const res = await api('POST', `/console/api/jobs/${encodeURIComponent(name)}`, at ? { at: at.toISOString() } : {});
      renderJobResult(job, res);
      toast(res.claimed ? 'success' : 'info', res.claimed ? `${job.label} 已运行` : `${job.label} 本周期已运行过`);
    } catch (e) {
      toast('error', e.message);
    } finally {
      btn.disabled = false;
      btn.classList.remove('is-loading');
    }
    loadOutbox({ quiet: true });
    loadMessages({ quiet: true });
  }

  function renderJobResult(job, res) {
    const planned = Array.isArray(res.planned) ? res.planned : [];
    els.jobResult.replaceChildren(...[
      h('div', { class: 'job-result-head' },
        h('strong', {}, job.label || res.job),
        h('span', { class: `badge ${res.claimed ? 'badge-ok' : 'badge-muted'}` }, res.claimed ? '已执行' : '本周期已执行过，未重复发送')),
      h('dl', { class: 'kv' },
        h('dt', {}, '周期'), h('dd', {}, res.period || '—'),
        h('dt', {}, '计划发送'), h('dd', {}, `${planned.length} 条`)),
      res.note && h('p', { class: 'job-note' }, res.note),
      planned.length
        ? h('ul', { class: 'planned' }, planned.map((p) => h('li', {},
          h('span', { class: 'planned-to' }, p.toName || nameOf(p.to) || p.to), h('span', { class: 'planned-summary' }, p.summary))))
        : res.claimed && h('p', { class: 'muted' }, '没有需要发送的消息。'),
    ].filter(Boolean));
  }

  // ── outbox ──
  const STATUS = { pending: '待发送', sending: '发送中', sent: '已发送', delivered: '已送达', failed: '失败', retry: '重试中', dead: '已放弃' };

  async function loadOutbox({ quiet = false } = {}) {
    try {
      const { rows } = await api('GET', '/console/api/outbox');
      renderOutbox(Array.isArray(rows) ? rows : []);
    } catch (e) {
      if (!quiet) toast('error', e.message);
    }
  }

  function renderOutbox(rows) {
    els.outbox.replaceChildren(...(rows.length ? rows.map((r) => h('tr', { 'data-outbox-id': r.id },
      h('td', {}, h('span', { class: `status status-${String(r.status).replace(/[^a-z_]/gi, '')}` }, STATUS[r.status] || r.status),
        r.attempts > 1 && h('span', { class: 'attempts', title: '尝试次数' }, `×${r.attempts}`)),
      h('td', {},
        h('div', { class: 'ob-to', title: r.to }, r.toName || nameOf(r.to) || r.to),
        r.summary && h('div', { class: 'ob-summary' }, r.summary),
        r.lastError && h('div', { class: 'ob-error' }, r.lastError),
        h('div', { class: 'ob-source' }, [r.source, r.kind].filter(Boolean).join(' · '))),
      h('td', { class: 'ob-time' }, timeText(r.createdAt), r.sentAt && h('div', { class: 'muted' }, `发 ${timeText(r.sentAt)}`))))
      : [h('tr', {}, h('td', { colspan: 3, class: 'empty' }, '发件箱为空'))]));
  }

  els.outboxRefresh.addEventListener('click', async () => {
    els.outboxRefresh.disabled = true;
    await loadOutbox();
    els.outboxRefresh.disabled = false;
  });

  // ── boot ──
  async function boot() {
    let session;
    try {
      session = await api('GET', '/console/api/session');
    } catch (e) {
      els.chatTitle.textContent = '无法加载控制台';
      toast('error', e.message);
      return;
    }
    state.users = Array.isArray(session.users) ? session.users : [];
    state.jobs = Array.isArray(session.jobs) ? session.jobs : [];
    state.menu = Array.isArray(session.menu) ? session.menu : [];
    state.now = session.now ? new Date(session.now) : null;
    els.nowText.textContent = session.nowText || (state.now ? fmtDay.format(state.now) : '—');
    renderUsers();
    renderMenu();
    renderJobs();
    const first = initialUser();
    if (first) selectUser(first);
    else els.chatTitle.textContent = '没有演示用户（先运行 npm run cli -- demo load）';
    loadOutbox({ quiet: true });
    window.addEventListener('hashchange', () => {
      const id = new URLSearchParams(location.hash.slice(1)).get('u');
      if (id && id !== state.openId) selectUser(id);
    });
    // Jobs and the outbox drain can deliver messages at any time: poll gently while visible.
    setInterval(() => {
      if (!document.hidden && !state.busy) loadMessages({ quiet: true });
    }, 5000);
  }

  window.DuxueConsole = { renderCard, renderMarkdown };
  boot();
})();
