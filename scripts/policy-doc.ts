/**
 * `npm run docs:policy`: writes docs/POLICY.md, the catalogue of the policy
 * rules, from src/rules, the data every reply cites. test/platform/docs.test.ts
 * fails when the committed file differs from what this prints, so the two
 * cannot drift: change src/rules, then run this.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DEFAULT_PROFILE, ROLE_RULE, NEW_TEACHER_RULE, type QuotaKey } from '../src/rules/profile.js';
import { RULES, rulesOf, type Citation, type RuleFamily } from '../src/rules/catalogue.js';
import { SOURCES } from '../src/rules/sources.js';
import { ROLES } from '../src/rules/roles.js';

export const POLICY_DOC = new URL('../docs/POLICY.md', import.meta.url);

const FAMILIES: Record<RuleFamily, string> = {
  LQ: 'LQ — 听课评课 (classroom observation)',
  DR: 'DR — 控辍保学 (dropout control)',
  RD: 'RD — 周期性任务与截止 (recurring obligations)',
  QA: 'QA — 质量目标与奖励 (quality targets and rewards)',
  NB: 'NB — 通报 (notices and inspection)',
};

/** A table cell: no line breaks, no bare pipes. */
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const source = (c: Citation) => `${c.source} ${c.section}`;
const quote = (c: Citation) => `「${c.quote}」`;

export function policyDoc(): string {
  const out: string[] = [];
  const line = (s = '') => out.push(s);

  line('# Policy catalogue');
  line();
  line('<!-- Generated from src/rules by `npm run docs:policy`; test/platform/docs.test.ts checks it. Do not edit by hand. -->');
  line();
  line(
    `Every rule Duxue knows, with its ID, the document and section it comes from, and the document's own words. The bot's replies cite these («依据:…»); the data lives in \`src/rules/\`. ${RULES.length} rules in ${Object.keys(FAMILIES).length} families.`,
  );
  line();
  line('## Sources');
  line();
  line('| Source | Issuer | Document |');
  line('|---|---|---|');
  for (const s of Object.values(SOURCES)) line(`| ${s.id} | ${cell(s.issuer)} | ${cell(s.doc)} |`);
  line();
  line('Several rules quote sources 001 and 002, which each hold two documents; a reply names the one the rule comes from.');

  line();
  line('## Weekly observation quotas: the default profile');
  line();
  line(
    `The numbers Duxue enforces by default are profile \`${DEFAULT_PROFILE.id}\` (${DEFAULT_PROFILE.name}), from ${DEFAULT_PROFILE.issuer}: the only source that states weekly numbers. A bureau can replace any of them with its own policy profile (\`DUXUE_POLICY\`, see [Rules and defaults](rules.md#bureau-policy-profile-duxue_policy)); each number it changes must carry its own citation, and replies then cite that instead.`,
  );
  line();
  line('| Role | Lessons per week | Rule |');
  line('|---|---|---|');
  const ruleCell = (key: QuotaKey) => {
    const id = key === 'newTeacher' ? NEW_TEACHER_RULE : ROLE_RULE[key];
    return id === 'none' ? '— (no rule asks this role to observe)' : id;
  };
  for (const role of ROLES) line(`| ${role} | ${DEFAULT_PROFILE.quotas[role]} | ${ruleCell(role)} |`);
  line(
    `| 专任教师 with fewer than ${DEFAULT_PROFILE.newTeacher.maxYears} years of teaching | ${DEFAULT_PROFILE.newTeacher.quota} | ${ruleCell('newTeacher')} |`,
  );
  line();
  line(
    `A week that overlaps a statutory holiday of ${DEFAULT_PROFILE.longHolidayWeek.minDays} days or more owes nothing. No source rules on holiday weeks, so this is Duxue's default, and the reply says so: 「${DEFAULT_PROFILE.longHolidayWeek.note}」.`,
  );

  for (const [family, title] of Object.entries(FAMILIES) as [RuleFamily, string][]) {
    const rules = rulesOf(family);
    const cadence = rules.some((r) => r.cadence);
    line();
    line(`## ${title}`);
    line();
    line(cadence ? '| ID | Rule | How often | Source | Words of the source |' : '| ID | Rule | Source | Words of the source |');
    line(cadence ? '|---|---|---|---|---|' : '|---|---|---|---|');
    for (const r of rules) {
      const cites = [r.citation, ...(r.alsoCited ?? [])];
      const cols = [
        r.id,
        cell(r.title),
        ...(cadence ? [cell(r.cadence ?? '')] : []),
        cites.map(source).join('; '),
        cites.map((c) => cell(quote(c))).join('; '),
      ];
      line(`| ${cols.join(' | ')} |`);
    }
  }
  return `${out.join('\n')}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(POLICY_DOC, policyDoc());
  process.stdout.write(`${fileURLToPath(POLICY_DOC)}: ${RULES.length} rules\n`);
}
