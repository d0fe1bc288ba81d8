import { defineCliCommand } from '../command.js';
import { retryFailed } from '../../../db/repos/outbox.js';
import { t } from '../../i18n/index.js';

/** `outbox retry`: failed messages go back in the queue, once the cause is fixed. */
export default defineCliCommand({
  name: 'outbox retry',
  usage: t.cli.usages.outboxRetry,
  async run(ctx) {
    return t.cli.retried(await retryFailed(ctx.deps.db));
  },
});
