import type { Db } from '../../db/index.js';
import { namesByOpenId, staffWithPlaces } from '../../db/repos/staff.js';
import { ROLES, type Role } from '../rules/roles.js';
import { tellApart } from '../roster/namesakes.js';
import { t } from '../i18n/index.js';

/** A person the console may act as: an active staff member with an open_id. */
export interface ConsoleUser {
  openId: string;
  name: string;
  roles: Role[];
  /** The school's name; the bureau's for officials (who have no school). */
  school: string;
  /** Only for namesakes of one school with the same roles: what tells them apart (`2015年起任教`). */
  apart?: string;
}

/** Lower is more senior: 书记 first, 专任教师 last (the roster's own order, ROLES). */
const rank = (roles: readonly string[]) => Math.min(ROLES.length, ...roles.map((r) => ROLES.indexOf(r as Role)).filter((i) => i >= 0));

/**
 * Everyone the console can act as: the bureau's officials, then each school
 * (by code) with its leaders first. This list is also the console's only
 * access rule: it never acts as an open_id that is not here.
 */
export async function consoleUsers(db: Db, openIds?: readonly string[]): Promise<ConsoleUser[]> {
  const rows = await staffWithPlaces(db, openIds);
  // The list shows name, roles and school: namesakes alike in all three get what else tells them apart.
  // (A lookup of a few open_ids is an access check, not a list: it needs none.)
  const apart = openIds
    ? new Map()
    : tellApart(
        rows.map((r) => ({ ...r, school: r.schoolCode ?? r.bureauName })),
        ['school', 'roles'],
      );
  return rows
    .sort(
      (a, b) =>
        Number(a.schoolCode !== null) - Number(b.schoolCode !== null) ||
        (a.schoolCode ?? '').localeCompare(b.schoolCode ?? '') ||
        rank(a.roles) - rank(b.roles) ||
        a.name.localeCompare(b.name, 'zh-CN') ||
        // Namesakes alike in all of the above: who came first, not where storage happens to keep them.
        a.createdAt.getTime() - b.createdAt.getTime() ||
        (a.openId ?? '').localeCompare(b.openId ?? ''),
    )
    .map((r) => {
      const traits = apart.get(r.id);
      return {
        openId: r.openId!,
        name: r.name,
        roles: r.roles as Role[],
        school: r.schoolName ?? r.bureauName ?? '',
        ...(traits ? { apart: t.namesakes.traits(traits) } : {}),
      };
    });
}

/** The roster entry behind an open_id, or null: the console refuses to act for anyone else. */
export async function consoleUser(db: Db, openId: string): Promise<ConsoleUser | null> {
  const [user] = await consoleUsers(db, [openId]);
  return user ?? null;
}

/** open_id → name, for outbox rows and job plans. */
export const namesOf = namesByOpenId;
