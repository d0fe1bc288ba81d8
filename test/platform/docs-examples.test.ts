import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.js';
import { harness, type Harness } from '../helpers/harness.js';
import { dbKindUnderTest } from '../helpers/db.js';
import { tempDir } from '../helpers/process.js';
import { blocksOf, documentPages, ROOT, type Block } from '../helpers/doc-blocks.js';
import { missingOutput, Shell } from '../helpers/doc-shell.js';
import { demoCounty } from '../helpers/demo.js';

/**
 * The README's and docs/'s examples run as written (docs/development.md,
 * "Examples in the documents"): each page's files are saved into a folder of
 * their own and its commands run there, in the page's order, against the demo
 * county loaded on the date the README starts it on. Every block says what it
 * is, so an example cannot be added that nothing runs without saying why.
 */
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const DEMO_NOW = /^DUXUE_NOW=(\S+) npm start$/m.exec(README)?.[1];
const blocks = documentPages().flatMap(blocksOf);
const where = (b: Block) => `${b.page}:${b.line}`;
const pages = [...new Set(blocks.filter((b) => b.marker.kind === 'run').map((b) => b.page))];

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('the examples in README.md and docs/', () => {
  it('each fenced block says what it is on the line above it', () => {
    const unmarked = blocks
      .filter((b) => b.marker.kind === 'none')
      .map((b) => `${where(b)} (above it: ${JSON.stringify(b.marker.kind === 'none' ? b.marker.above : '')})`);
    expect(unmarked, 'mark each block: <!-- file: NAME -->, <!-- run -->, <!-- output -->, <!-- not run: why -->, <!-- ci: NAME -->').toEqual([]);
    expect(blocks.filter((b) => b.marker.kind === 'run').length).toBeGreaterThan(5);
  });

  it('files are used by a command of their page, outputs follow the commands they show, recipes name a CI script', () => {
    const problems: string[] = [];
    const ci = readdirSync(join(ROOT, '.ci')).map((f) => readFileSync(join(ROOT, '.ci', f), 'utf8'));
    blocks.forEach((b, i) => {
      const m = b.marker;
      const runs = blocks.filter((r) => r.page === b.page && r.marker.kind === 'run' && r.line > b.line);
      if (m.kind === 'file' && !runs.some((r) => new RegExp(`(^|[\\s="'])${m.name.replace('.', '\\.')}(?=[\\s)"']|$)`, 'm').test(r.body)))
        problems.push(`${where(b)}: no command below uses ${m.name}`);
      if (m.kind === 'output' && !(blocks[i - 1]?.page === b.page && blocks[i - 1]?.marker.kind === 'run'))
        problems.push(`${where(b)}: an output block must follow a run block`);
      if (m.kind === 'ci' && !ci.some((s) => new RegExp(`\\b${m.name}\\b`).test(s))) problems.push(`${where(b)}: no script in .ci/ runs ${m.name}`);
      if (m.kind === 'not run' && m.reason.split(/\s+/).length < 3) problems.push(`${where(b)}: say why it is not run`);
    });
    expect(problems).toEqual([]);
    expect(DEMO_NOW, 'the README starts the demo with DUXUE_NOW=… npm start').toBe('2026-11-24T10:00:00+08:00');
  });

  it.each(pages)(`%s: its files and commands run as written against the demo (${dbKindUnderTest})`, async (page) => {
    h = await harness({ now: DEMO_NOW });
    await demoCounty(h, h.clock.now());
    const handle = h.handle;
    const dir = tempDir('docs-examples-');
    const saved = new Set<string>();
    // The reader's working directory is `dir`: a file named as the page saved it is found there.
    const inDir = (word: string) => (saved.has(word) ? join(dir, word) : word);
    const shell = new Shell((argv, env) =>
      runCli(argv.map(inDir), { LOG_LEVEL: 'silent', ...Object.fromEntries(Object.entries(env).map(([k, v]) => [k, inDir(v)])) }, { handle }),
    );
    let shown = '';
    for (const b of blocks.filter((x) => x.page === page)) {
      if (b.marker.kind === 'file') {
        writeFileSync(join(dir, b.marker.name), b.body);
        saved.add(b.marker.name);
      } else if (b.marker.kind === 'run') {
        const before = shell.ran.length;
        shown = await shell.block(b.body);
        for (const r of shell.ran.slice(before)) {
          expect({ at: where(b), line: r.line, code: r.code, stderr: r.stderr }, r.stdout).toEqual({ at: where(b), line: r.line, code: 0, stderr: '' });
        }
      } else if (b.marker.kind === 'output') {
        expect(missingOutput(b.body, shown), `${where(b)}: printed\n${shown}`).toEqual([]);
      }
    }
  });
});
