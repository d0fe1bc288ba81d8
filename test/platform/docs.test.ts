import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { policyDoc, POLICY_DOC } from '../../scripts/policy-doc.js';

/** What a newcomer reads: the policy catalogue matches src/rules, and every link in the docs leads somewhere in the repository. */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
const slug = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');

function links(markdown: string): string[] {
  const prose = markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  return [...prose.matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1]!);
}

function brokenLinks(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const broken: string[] = [];
  for (const target of links(text)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:
    const [path, anchor] = target.split('#') as [string, string | undefined];
    const dest = path ? resolve(dirname(file), decodeURI(path)) : file;
    const inside = !relative(ROOT, dest).startsWith('..');
    if (!inside || !existsSync(dest)) {
      broken.push(`${relative(ROOT, file)}: ${target}`);
      continue;
    }
    if (anchor && dest.endsWith('.md')) {
      const headings = [...readFileSync(dest, 'utf8').matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1]!));
      if (!headings.includes(anchor)) broken.push(`${relative(ROOT, file)}: ${target} (no such heading)`);
    }
  }
  return broken;
}

describe('the documentation', () => {
  it('docs/POLICY.md is what `npm run docs:policy` makes from src/rules', () => {
    expect(readFileSync(POLICY_DOC, 'utf8'), 'src/rules changed: run `npm run docs:policy` and commit docs/POLICY.md').toBe(policyDoc());
  });

  it('every relative link in README.md and docs/ resolves inside the repository', () => {
    const files = [join(ROOT, 'README.md'), ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => join(ROOT, 'docs', f))];
    expect(files.flatMap(brokenLinks)).toEqual([]);
    expect(links(readFileSync(join(ROOT, 'README.md'), 'utf8'))).toContain('docs/POLICY.md');
  });
});
