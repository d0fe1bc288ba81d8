import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { policyDoc, POLICY_DOC } from '../../scripts/policy-doc.js';
import { documentPages, ROOT } from '../helpers/doc-blocks.js';

/** What a newcomer reads: the policy catalogue matches src/rules, and every link in the docs, or in a comment citing them, leads somewhere. */

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens; a repeated heading gets -1, -2, … */
function anchorsOf(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  const prose = markdown.replace(/^(\s*)(`{3,}|~{3,})[\s\S]*?^\1\2\s*$/gm, '');
  for (const [, heading] of prose.matchAll(/^#{1,6} (.+)$/gm)) {
    const base = heading!
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N} _-]/gu, '')
      .replace(/ /g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

/** Every link target in the prose: Markdown links and images, reference definitions, HTML src and href. */
function links(markdown: string): string[] {
  const prose = markdown
    .replace(/^(\s*)(`{3,}|~{3,})[\s\S]*?^\1\2\s*$/gm, '')
    .replace(/`[^`\n]*`/g, '')
    .replace(/<!--[\s\S]*?-->/g, '');
  return [
    ...[...prose.matchAll(/!?\[(?:[^[\]]|\[[^\]]*\])*\]\(<?([^)\s>]+)>?(?:\s+"[^"]*")?\)/g)].map((m) => m[1]!),
    ...[...prose.matchAll(/^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm)].map((m) => m[1]!),
    ...[...prose.matchAll(/<(?:img|a)\b[^>]*?\s(?:src|href)="([^"]+)"/g)].map((m) => m[1]!),
  ];
}

/** Why `target`, linked from `from`, leads nowhere; null when it resolves. */
function broken(from: string, target: string): string | null {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return null; // https:, mailto:
  const [path, anchor] = target.split('#') as [string, string | undefined];
  const dest = path ? resolve(dirname(from), decodeURI(path)) : from;
  if (relative(ROOT, dest).startsWith('..') || !existsSync(dest)) return 'no such file';
  if (anchor !== undefined && dest.endsWith('.md') && !anchorsOf(readFileSync(dest, 'utf8')).has(decodeURIComponent(anchor))) return 'no such heading';
  if (anchor !== undefined && !dest.endsWith('.md')) return 'an anchor into a file that is not Markdown';
  return null;
}

/** The files whose comments may cite the documents: the code, the tests, the scripts, CI and the deployment files. */
function codeFiles(): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      if (name === 'node_modules' || name === 'artifacts') return [];
      return statSync(path).isDirectory() ? walk(path) : /\.(ts|mjs|js|sql)$|^[^.]+$/.test(name) ? [path] : [];
    });
  const dirs = ['src', 'commands', 'jobs', 'db', 'test', 'bench', 'scripts', '.ci'].map((d) => join(ROOT, d)).filter(existsSync);
  return [...dirs.flatMap(walk), ...['Dockerfile', 'compose.yaml', 'wrangler.toml', 'package.json'].map((f) => join(ROOT, f))];
}

describe('the documentation', () => {
  const pages = documentPages();

  it('docs/POLICY.md is what `npm run docs:policy` makes from src/rules', () => {
    expect(readFileSync(POLICY_DOC, 'utf8'), 'src/rules changed: run `npm run docs:policy` and commit docs/POLICY.md').toBe(policyDoc());
  });

  it('every relative link and anchor in README.md and docs/*.md resolves inside the repository', () => {
    const bad = pages.flatMap((page) =>
      links(readFileSync(page, 'utf8')).flatMap((target) => {
        const why = broken(page, target);
        return why ? [`${relative(ROOT, page)}: ${target} (${why})`] : [];
      }),
    );
    expect(bad).toEqual([]);
    expect(pages.flatMap((p) => links(readFileSync(p, 'utf8'))).filter((t) => t.includes('#')).length).toBeGreaterThan(20);
  });

  it('the README leads to every page of docs/, and every picture in docs/ is shown somewhere', () => {
    const readme = links(readFileSync(join(ROOT, 'README.md'), 'utf8')).map((t) => t.split('#')[0]);
    const docs = readdirSync(join(ROOT, 'docs'));
    expect(docs.filter((f) => f.endsWith('.md') && !readme.includes(`docs/${f}`))).toEqual([]);
    const shown = pages.flatMap((p) => links(readFileSync(p, 'utf8')).map((t) => relative(ROOT, resolve(dirname(p), t.split('#')[0]!))));
    expect(docs.filter((f) => f.endsWith('.png') && !shown.includes(`docs/${f}`))).toEqual([]);
  });

  it('every document a comment in the code cites exists, with the heading it names', () => {
    const bad: string[] = [];
    let cited = 0;
    for (const file of codeFiles()) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/(?<![\w/.-])(README\.md|docs\/[\w.-]+\.md)(#[\p{L}\p{N}_-]+)?/gu)) {
        cited++;
        const why = broken(join(ROOT, 'README.md'), m[1]! + (m[2] ?? ''));
        if (why) bad.push(`${relative(ROOT, file)}: ${m[0]} (${why})`);
      }
      // The README keeps only what a newcomer needs: a section cited by name must be one of its headings.
      for (const m of text.matchAll(/README(?:\.md)?(?::|, section|'s section) "?([A-Z][\w ,()/`-]*?)"?\)/g)) {
        if (
          !anchorsOf(readFileSync(join(ROOT, 'README.md'), 'utf8')).has(
            m[1]!
              .toLowerCase()
              .replace(/[^\p{L}\p{N} _-]/gu, '')
              .replace(/ /g, '-'),
          )
        )
          bad.push(`${relative(ROOT, file)}: ${m[0]} (no such section in README.md: cite the page in docs/ that has it)`);
      }
    }
    expect(bad).toEqual([]);
    expect(cited).toBeGreaterThan(20);
  });
});
