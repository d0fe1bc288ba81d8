import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The fenced blocks of README.md and docs/*.md, each with the marker on the
 * line right above it (docs/development.md, "Examples in the documents"):
 *   <!-- file: NAME -->      a file a reader saves as NAME
 *   <!-- run -->             shell lines a reader runs against the demo
 *   <!-- output -->          what the run block above it prints
 *   <!-- not run: REASON --> anything the tests cannot run, and why
 *   <!-- ci: NAME -->        a recipe a script in .ci/ runs
 */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export type Marker =
  | { kind: 'file'; name: string }
  | { kind: 'run' }
  | { kind: 'output' }
  | { kind: 'not run'; reason: string }
  | { kind: 'ci'; name: string }
  | { kind: 'none'; above: string };

export interface Block {
  /** Relative to the repository, as a reader names the page. */
  page: string;
  /** 1-based line of the opening fence. */
  line: number;
  lang: string;
  marker: Marker;
  body: string;
}

/** README.md first, then docs/*.md by name. */
export function documentPages(): string[] {
  const docs = readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => join(ROOT, 'docs', f));
  return [join(ROOT, 'README.md'), ...docs];
}

function markerOf(line: string | undefined): Marker {
  const text = (line ?? '').trim();
  let m: RegExpExecArray | null;
  if ((m = /^<!-- file: (\S+) -->$/.exec(text))) return { kind: 'file', name: m[1]! };
  if (text === '<!-- run -->') return { kind: 'run' };
  if (text === '<!-- output -->') return { kind: 'output' };
  if ((m = /^<!-- not run: (.*\S.*) -->$/.exec(text))) return { kind: 'not run', reason: m[1]!.trim() };
  if ((m = /^<!-- ci: ([\w-]+) -->$/.exec(text))) return { kind: 'ci', name: m[1]! };
  return { kind: 'none', above: text };
}

/** Every fenced block of one page, in order; an indented fence (in a list item) is read at its own indent. */
export function blocksOf(file: string): Block[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const page = relative(ROOT, file);
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)/.exec(lines[i]!);
    if (!open) continue;
    const [, indent, fence, lang] = open as unknown as [string, string, string, string];
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      if (lines[j]!.trim().startsWith(fence) && lines[j]!.trim().replace(/[`~]/g, '') === '') break;
      body.push(lines[j]!.startsWith(indent) ? lines[j]!.slice(indent.length) : lines[j]!.trimStart());
    }
    blocks.push({ page, line: i + 1, lang, marker: markerOf(lines[i - 1]), body: `${body.join('\n')}\n` });
    i = j;
  }
  return blocks;
}
