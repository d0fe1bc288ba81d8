import { defineCliCommand, CliError } from '../command.js';
import { batchMessageIds, countsBySchool, findNotice } from '../../../db/repos/notices.js';
import { totalsOf } from '../../notices/cards.js';
import { t } from '../../i18n/index.js';

/**
 * `notice status <id>`: one `name count` line each for targeted, delivered,
 * acknowledged and failed (docs/cli.md#commands), easy to read and to parse. A batch
 * notice adds the read count Lark reports for it.
 */
export default defineCliCommand({
  name: 'notice status',
  usage: t.cli.usages.noticeStatus,
  async run(ctx, args) {
    const id = args[0];
    if (!id) throw new CliError(t.notice.cli.missingId);
    const n = await findNotice(ctx.deps.db, id);
    if (n?.status !== 'sent') throw new CliError(t.notice.cli.unknownNotice(id));
    const c = totalsOf(await countsBySchool(ctx.deps.db, n.id));
    const lines = [`targeted ${c.targeted}`, `delivered ${c.delivered}`, `acknowledged ${c.acknowledged}`, `failed ${c.failed}`];
    const batch = ctx.deps.transports[n.channel]?.batch;
    if (n.via === 'batch' && batch) {
      let read = 0;
      for (const bm of await batchMessageIds(ctx.deps.db, n.id)) read += (await batch.progress(bm))?.read ?? 0;
      lines.push(`read ${read}`);
    }
    return lines.join('\n');
  },
});
