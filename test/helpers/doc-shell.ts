/**
 * Just enough of a POSIX shell to run the documents' `run` blocks as a reader
 * types them (docs/development.md, "Examples in the documents"): `export
 * NAME=value`, `NAME=value` before a command, `name=$(…)`, `$name` and
 * `"$name"`, single and double quotes, a trailing `\` continuing a line, `#`
 * comments, and one command, `npm run [-s] cli -- …`. Anything else is refused
 * with the line, so a block the tests cannot run must say so (`not run`).
 */
export interface Ran {
  line: string;
  argv: string[];
  code: number;
  stdout: string;
  stderr: string;
}

export type Exec = (argv: string[], env: Record<string, string>) => Promise<{ code: number; stdout: string; stderr: string }>;

export class Shell {
  /** Exported variables: every command gets them. */
  readonly env: Record<string, string> = {};
  /** Shell variables: only `$name` sees them. */
  readonly vars: Record<string, string> = {};
  /** Every command run, those inside `$(…)` too, in order. */
  readonly ran: Ran[] = [];

  constructor(private readonly exec: Exec) {}

  /** Runs a block's lines in order; returns what a terminal would show on standard output. */
  async block(body: string): Promise<string> {
    let shown = '';
    for (const line of body.replace(/\\\n/g, ' ').split('\n')) shown += await this.line(line);
    return shown;
  }

  private value(name: string): string {
    return this.vars[name] ?? this.env[name] ?? '';
  }

  private async line(line: string): Promise<string> {
    const words = await this.words(line);
    if (words.length === 0) return '';
    if (words[0] === 'export') {
      for (const w of words.slice(1)) {
        const m = /^([A-Za-z_]\w*)=(.*)$/s.exec(w);
        if (!m) throw new Error(`cannot run: export takes NAME=value: ${line}`);
        this.env[m[1]!] = m[2]!;
      }
      return '';
    }
    const assigned: Record<string, string> = {};
    while (words.length > 0 && /^[A-Za-z_]\w*=/.test(words[0]!)) {
      const w = words.shift()!;
      assigned[w.slice(0, w.indexOf('='))] = w.slice(w.indexOf('=') + 1);
    }
    if (words.length === 0) {
      for (const [k, v] of Object.entries(assigned)) (k in this.env ? this.env : this.vars)[k] = v;
      return '';
    }
    const npm = words[0] === 'npm' && words[1] === 'run' ? (words[2] === '-s' ? 3 : 2) : -1;
    if (npm < 0 || words[npm] !== 'cli' || words[npm + 1] !== '--')
      throw new Error(`cannot run "${line.trim()}": only npm run cli -- … is run here; mark the block <!-- not run: why -->`);
    const argv = words.slice(npm + 2);
    const r = await this.exec(argv, { ...this.env, ...assigned });
    this.ran.push({ line: line.trim(), argv, ...r });
    return r.stdout;
  }

  /** The line's words after quotes, `$name` and `$(…)`; `#` at the start of a word ends the line. */
  private async words(line: string): Promise<string[]> {
    const out: string[] = [];
    let cur = '';
    let inWord = false;
    let i = 0;
    const dollar = async (at: number): Promise<{ text: string; next: number }> => {
      if (line[at + 1] === '(') {
        let depth = 0;
        for (let j = at + 1; j < line.length; j++) {
          if (line[j] === '(') depth++;
          if (line[j] === ')' && --depth === 0) return { text: (await this.line(line.slice(at + 2, j))).replace(/\n+$/, ''), next: j + 1 };
        }
        throw new Error(`cannot run: unclosed $( in ${line}`);
      }
      const m = /^\{([A-Za-z_]\w*)\}|^([A-Za-z_]\w*)/.exec(line.slice(at + 1));
      if (!m) throw new Error(`cannot run: a bare $ in ${line}`);
      return { text: this.value(m[1] ?? m[2]!), next: at + 1 + m[0].length };
    };
    while (i < line.length) {
      const c = line[i]!;
      if (/\s/.test(c)) {
        if (inWord) out.push(cur);
        cur = '';
        inWord = false;
        i++;
      } else if (c === '#' && !inWord) {
        break;
      } else if (c === "'") {
        const end = line.indexOf("'", i + 1);
        if (end < 0) throw new Error(`cannot run: unclosed ' in ${line}`);
        cur += line.slice(i + 1, end);
        inWord = true;
        i = end + 1;
      } else if (c === '"') {
        inWord = true;
        for (i++; i < line.length && line[i] !== '"'; ) {
          if (line[i] === '$') {
            const r = await dollar(i);
            cur += r.text;
            i = r.next;
          } else if (line[i] === '\\' && /["$\\`]/.test(line[i + 1] ?? '')) {
            cur += line[i + 1];
            i += 2;
          } else cur += line[i++];
        }
        if (i >= line.length) throw new Error(`cannot run: unclosed " in ${line}`);
        i++;
      } else if (c === '$') {
        const r = await dollar(i);
        cur += r.text;
        inWord = true;
        i = r.next;
      } else if (/[|&;<>`(){}\\]/.test(c)) {
        throw new Error(`cannot run "${line.trim()}": ${c} is not run here; mark the block <!-- not run: why -->`);
      } else {
        cur += c;
        inWord = true;
        i++;
      }
    }
    if (inWord) out.push(cur);
    return out;
  }
}

/** An `output` block's lines, each a whole line of `shown` in this order; `…` stands for any text. */
export function missingOutput(expected: string, shown: string): string[] {
  const lines = shown.replace(/^\uFEFF/, '').split('\n');
  const missing: string[] = [];
  let from = 0;
  for (const want of expected.split('\n').filter((l) => l.trim() !== '')) {
    const re = new RegExp(
      `^${want
        .split('…')
        .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*')}$`,
    );
    const at = lines.findIndex((l, k) => k >= from && re.test(l));
    if (at < 0) missing.push(want);
    else from = at + 1;
  }
  return missing;
}
