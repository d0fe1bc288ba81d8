import { defineCliCommand, CliError, jsonInput } from '../command.js';
import { insertDraft } from '../../../db/repos/notices.js';
import { loadActor } from '../../dispatch/actor.js';
import { draftFromFile } from '../../notices/draft.js';
import { previewOf, sendNotice } from '../../notices/send.js';
import { isOfficial } from '../../rules/index.js';
import { audit } from '../../audit.js';
import { t } from '../../i18n/index.js';

/**
 * `notice send <file.json>`: the same fan-out as /通知. Prints the notice id
 * only (scripts keep it for `notice status`); the messages are queued, and a
 * running server (or the next start, on PGlite) sends them. The official gets
 * the live status card in their own chat.
 */
export default defineCliCommand({
  name: 'notice send',
  usage: t.cli.usages.noticeSend,
  input: true,
  async run(ctx) {
    const json = jsonInput(ctx, t.notice.cli.notJson);
    const file = draftFromFile(json);
    if (!file.ok) throw new CliError(t.notice.cli.errors(file.errors));
    const { deps } = ctx;
    // This process only queues: the server's delivery sends (and paces) everything.
    await deps.delivery.stop();
    const sender = await loadActor(deps.db, file.from);
    if (!sender) throw new CliError(t.notice.cli.unknownSender(file.from));
    if (!isOfficial(sender.roles)) throw new CliError(t.notice.cli.notOfficial(sender.name));
    const channel = deps.defaultChannel;
    const preview = await previewOf(deps, sender.bureauId, file.draft.audience, channel);
    if (!preview.ok) throw new CliError(t.notice.cli.errors(preview.errors));
    const draft = await insertDraft(deps.db, { ...file.draft, bureauId: sender.bureauId, senderId: sender.id, channel });
    const sent = await sendNotice(deps, draft, { channel, now: ctx.now, statusTo: sender.openId });
    if (!sent.ok) throw new CliError(t.notice.cli.errors([sent.error]));
    await audit(deps.db, sender, 'notice.send', sent.notice.id, { people: sent.people, via: sent.via, from: 'cli' });
    return sent.notice.id;
  },
});
