import { defineCliCommand } from '../command.js';
import { loadDemo } from '../../demo/load.js';
import { t } from '../../i18n/index.js';

/** `demo load`: the demo county (idempotent). */
export default defineCliCommand({
  name: 'demo load',
  usage: t.cli.usages.demoLoad,
  async run(ctx) {
    const r = await loadDemo(ctx.deps.db, ctx.now);
    return t.cli.demoLoaded(r.staff);
  },
});
