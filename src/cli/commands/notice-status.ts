import { writeFile } from 'node:fs/promises';
import { stringify } from 'csv-stringify/sync';
import { defineCliCommand, CliError } from '../command.js';
import { batchMessageIds, countsBySchool, findNotice, noticePeople, recallProgress, type NoticePerson } from '../../../db/repos/notices.js';
import { totalsOf } from '../../notices/cards.js';
import { localTimeOf } from '../../calendar/index.js';
import { t } from '../../i18n/index.js';

/** `notice status <id> --people`'s columns (docs/cli.md#commands). */
export const PEOPLE_HEADER = ['school_code', 'school_name', 'name', 'roles', 'delivered_at', 'read_at', 'acknowledged_at', 'failed_reason'] as const;

/** Excel must never run a roster's text as a formula (as `report weekly`: OWASP's leading characters get an apostrophe). */
const asText = (s: string) => (/^[=+\-@\t\r]/.test(s) ? `'${s}` : s);

/** `2026-11-24T10:05:00+08:00`: the bureau's local time, unambiguous for a spreadsheet and a script. */
function localIso(d: Date | null): string {
  if (!d) return '';
  const l = localTimeOf(d);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${l.date}T${p(l.hour)}:${p(l.minute)}:${p(d.getUTCSeconds())}+08:00`;
}

export function peopleRows(people: readonly NoticePerson[]): string[][] {
  return people.map((p) => [
    p.schoolCode,
    p.schoolName,
    p.name,
    p.roles.join('|'),
    localIso(p.deliveredAt),
    localIso(p.readAt),
    localIso(p.ackedAt),
    p.failedReason ?? '',
  ]);
}

function parseArgs(args: string[]): { id: string; people: boolean; format: 'csv' | 'xlsx'; out: string | null } {
  const d = t.digest;
  const o = { id: '', people: false, format: 'csv' as 'csv' | 'xlsx', out: null as string | null };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--people') o.people = true;
    else if (a === '--format') {
      const f = args[++i] ?? '';
      if (f !== 'csv' && f !== 'xlsx') throw new CliError(d.badFormat);
      o.format = f;
    } else if (a === '--out') o.out = args[++i] ?? '';
    else if (a.startsWith('--')) throw new CliError(d.badOption(a));
    else if (!o.id) o.id = a;
    else throw new CliError(d.badOption(a));
  }
  if (!o.id) throw new CliError(t.notice.cli.missingId);
  if ((o.format === 'xlsx' || o.out) && !o.people) throw new CliError(t.notice.cli.peopleOnly);
  if (o.format === 'xlsx' && !o.out) throw new CliError(d.xlsxNeedsOut);
  return o;
}

/**
 * `notice status <id>`: one `name count` line each for targeted, delivered,
 * acknowledged, failed and read (docs/cli.md#commands), easy to read and to
 * parse. A batch notice's read count is the one Lark reports for it. A
 * recalled notice first says so: `recalled <time>`, `taken_back <done>/<total>`, `cancelled <n>`.
 *
 * `--people`: one row per targeted person (PEOPLE_HEADER), the rows the
 * card's 查看名单 lists from (db/repos/notices.ts noticePeople); CSV as for
 * `report weekly` (UTF-8 with a BOM, to stdout without `--out`), or xlsx.
 */
export default defineCliCommand({
  name: 'notice status',
  usage: t.cli.usages.noticeStatus,
  async run(ctx, args) {
    const o = parseArgs(args);
    const n = await findNotice(ctx.deps.db, o.id);
    if (n?.status !== 'sent' && n?.status !== 'recalled') throw new CliError(t.notice.cli.unknownNotice(o.id));
    if (o.people) {
      const rows = peopleRows(await noticePeople(ctx.deps.db, n));
      if (o.format === 'xlsx') {
        await writeXlsx(o.out!, rows);
        return t.digest.exported(rows.length, o.out!);
      }
      const csv = stringify(
        rows.map((r) => r.map(asText)),
        { header: true, columns: [...PEOPLE_HEADER], bom: true },
      );
      if (!o.out) return csv.replace(/\n$/, ''); // the CLI ends its output with a newline
      await writeFile(o.out, csv);
      return t.digest.exported(rows.length, o.out);
    }
    const c = totalsOf(await countsBySchool(ctx.deps.db, n.id));
    const lines = [`targeted ${c.targeted}`, `delivered ${c.delivered}`, `acknowledged ${c.acknowledged}`, `failed ${c.failed}`];
    if (n.status === 'recalled') {
      // First: when it was recalled, how many of its messages are taken back so far, and how many never went.
      const r = await recallProgress(ctx.deps.db, n.id);
      lines.unshift(`recalled ${localIso(n.recalledAt)}`, `taken_back ${r.done}/${r.total}`, `cancelled ${r.cancelled}`);
    }
    const batch = ctx.deps.transports[n.channel]?.batch;
    if (n.via !== 'batch') lines.push(`read ${c.read}`);
    else if (batch) {
      let read = 0;
      for (const bm of await batchMessageIds(ctx.deps.db, n.id)) read += (await batch.progress(bm))?.read ?? 0;
      lines.push(`read ${read}`);
    }
    return lines.join('\n');
  },
});

/** Streamed row by row, typed string cells (Excel shows them and never runs them). */
async function writeXlsx(file: string, rows: readonly string[][]): Promise<void> {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useStyles: true });
  const ws = wb.addWorksheet('notice', { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = PEOPLE_HEADER.map((h, i) => ({ header: h, key: h, width: [12, 24, 12, 24, 26, 26, 26, 30][i] }));
  ws.getRow(1).font = { bold: true };
  ws.getRow(1).commit();
  for (const r of rows) ws.addRow(r).commit();
  ws.commit();
  await wb.commit();
}
