import { z } from 'zod';
import { bureauByCode, schoolByCode } from '../db/repos/org.js';
import { bindChat } from '../db/repos/chats.js';
import { defineCommand } from '../src/dispatch/command.js';
import { t } from '../src/i18n/index.js';
import { audit } from '../src/audit.js';
import { canSeeSchool, coveredSchools } from '../src/digest/scope.js';
import { isOfficial } from '../src/rules/index.js';

/** /绑定 /bind <学校代码> — a school leader or an official binds a group chat to a school or the bureau. */
export default defineCommand({
  names: ['绑定', 'bind'],
  summary: () => t.bind.summary,
  usage: () => t.bind.usage,
  args: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]{1,32}$/, { error: () => t.bind.badCode }),
  who: { roles: ['书记', '校长', '分管教学副校长', '教务主任', '教育局', '督学'], label: () => t.bind.who },
  where: 'group',
  async run(ctx, code) {
    const { db } = ctx.deps;
    const school = await schoolByCode(db, code);
    const bureau = school ? null : await bureauByCode(db, code);
    if (!school && !bureau) return { text: t.bind.unknownCode(code) };
    // The scope of the digests the group will get: a school its binder may see
    // (their own; a 督学's covered ones), the bureau only for whoever sees all of it.
    if (school) {
      const access = await canSeeSchool(ctx.deps, ctx.actor, school);
      if (!access.ok) return { text: access.reason === 'notCovered' ? t.bind.notCovered : t.bind.otherSchool };
    } else {
      if (!isOfficial(ctx.actor.roles) || bureau!.id !== ctx.actor.bureauId) return { text: t.bind.otherSchool };
      if (await coveredSchools(ctx.deps, ctx.actor)) return { text: t.bind.bureauNotCovered };
    }
    const values = {
      chatId: ctx.chat.id,
      schoolId: school?.id ?? null,
      bureauId: school?.bureauId ?? bureau!.id,
      boundBy: ctx.actor.id,
      boundAt: ctx.now,
    };
    await bindChat(db, values);
    await audit(db, ctx.actor, 'chat.bind', ctx.chat.id, { code });
    return { text: t.bind.done(school?.name ?? bureau!.name) };
  },
});
