/**
 * People who share a name (同名同姓: 王芳, 张伟, 李娜 are common in a county):
 * what tells them apart, from what the roster holds. The roster keeps no
 * mobile number and no subject, so the traits are the school, the roles, when
 * they started teaching (教龄, roster column `teaching_since`), the class and
 * subject they were last observed teaching (when the caller knows it), and as
 * a last resort the tail of their Lark ID, which no two people share. Pure.
 */

export type TraitKind = 'school' | 'roles' | 'since' | 'subject' | 'id';

export type Trait =
  | { kind: 'school'; value: string }
  | { kind: 'roles'; value: readonly string[] }
  /** `2015` when the year tells them apart, else the whole date. */
  | { kind: 'since'; value: string }
  | { kind: 'subject'; value: string }
  /** The last characters of the open_id (or of the staff id, for someone not on Lark). */
  | { kind: 'id'; value: string };

export interface Person {
  id: string;
  name: string;
  school?: string | null;
  roles: readonly string[];
  teachingSince: string | null;
  openId: string | null;
  subject?: string | null;
}

const ORDER: readonly TraitKind[] = ['school', 'roles', 'since', 'subject', 'id'];

/** The shortest tail (4 characters at least) that no two of `people` share. */
function idTails(people: readonly Person[]): Map<string, string> {
  const ids = people.map((p) => p.openId ?? p.id);
  for (let n = 4; ; n++) {
    const tails = ids.map((x) => x.slice(-n));
    if (new Set(tails).size === tails.length || n >= Math.max(...ids.map((x) => x.length))) return new Map(people.map((p, i) => [p.id, tails[i]!]));
  }
}

function raw(p: Person, kind: TraitKind, tails: Map<string, string>): string | null {
  switch (kind) {
    case 'school':
      return p.school ?? null;
    case 'roles':
      return p.roles.length ? p.roles.join('|') : null;
    case 'since':
      return p.teachingSince;
    case 'subject':
      return p.subject ?? null;
    case 'id':
      return tails.get(p.id)!;
  }
}

function trait(p: Person, kind: TraitKind, tails: Map<string, string>, group: readonly Person[]): Trait | null {
  const v = raw(p, kind, tails);
  if (v === null) return null;
  if (kind === 'roles') return { kind, value: p.roles };
  if (kind === 'since') {
    const years = group.map((q) => q.teachingSince?.slice(0, 4));
    const sameYear = years.filter((y) => y === v.slice(0, 4)).length > 1;
    return { kind, value: sameYear ? v : v.slice(0, 4) };
  }
  return { kind, value: v } as Trait;
}

const distinct = (values: readonly string[]) => new Set(values).size === values.length;

/**
 * For a list that shows people by name (and by `shown` traits, e.g. the roles
 * /本周 prints), the least that tells apart those who would otherwise read the
 * same: only people whose name and shown traits collide get an entry, so a
 * list without namesakes reads exactly as before. A trait is used only when
 * every one of them has it and it differs; the ID tail settles the rest.
 */
export function tellApart(people: readonly Person[], shown: readonly TraitKind[] = []): Map<string, Trait[]> {
  const out = new Map<string, Trait[]>();
  const groups = new Map<string, Person[]>();
  const none = new Map<string, string>(); // `shown` never holds 'id'
  for (const p of people) {
    const key = shown.length ? [p.name, ...shown.map((k) => raw(p, k, none) ?? '')].join('\u0000') : p.name;
    const g = groups.get(key);
    if (g) g.push(p);
    else groups.set(key, [p]);
  }
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    const tails = idTails(group);
    const chosen: TraitKind[] = [];
    for (const kind of ORDER) {
      if (shown.includes(kind)) continue;
      const values = group.map((p) => raw(p, kind, tails));
      if (values.some((v) => v === null) || new Set(values).size < 2) continue;
      chosen.push(kind);
      if (distinct(group.map((p) => chosen.map((k) => raw(p, k, tails)).join('\u0000')))) break;
    }
    for (const p of group)
      out.set(
        p.id,
        chosen.map((k) => trait(p, k, tails, group)!),
      );
  }
  return out;
}

/**
 * For a choice between namesakes (one button each): everything that helps the
 * person choosing (roles, teaching start, the class last observed; the school
 * when they are not all of one), and the ID tail when two would still read the
 * same.
 */
export function describeChoices(people: readonly Person[]): Map<string, Trait[]> {
  const tails = idTails(people);
  const schools = new Set(people.map((p) => p.school ?? ''));
  const kinds: TraitKind[] = [...(schools.size > 1 ? (['school'] as const) : []), 'roles', 'since', 'subject'];
  const described = people.map((p) => kinds.map((k) => trait(p, k, tails, people)).filter((x): x is Trait => x !== null));
  const labels = described.map((ts) => JSON.stringify(ts));
  return new Map(
    people.map((p, i) => {
      const same = labels.filter((l) => l === labels[i]).length > 1;
      return [p.id, same ? [...described[i]!, trait(p, 'id', tails, people)!] : described[i]!];
    }),
  );
}

/** A roster row or a person already on staff, for the namesake check of an import. */
export interface RosterPerson {
  schoolCode: string | null;
  name: string;
  openId: string | null;
  /** The file's line; null for someone already on staff. */
  line: number | null;
}

export interface NamesakeWarning {
  schoolCode: string;
  name: string;
  /** Lines of the file naming someone of that name at that school. */
  lines: number[];
  /** People of that name already on staff there who are not in the file. */
  onStaff: number;
}

/**
 * Namesakes one school would have after an import: two rows of the file, or a
 * row and someone already on staff there (not the same open_id). A warning,
 * not an error: the bot asks which one is meant wherever a name is typed.
 */
export function rosterNamesakes(rows: readonly RosterPerson[], onStaff: readonly RosterPerson[]): NamesakeWarning[] {
  const inFile = new Set(rows.map((r) => r.openId).filter(Boolean));
  const bySchoolName = new Map<string, RosterPerson[]>();
  for (const p of [...rows, ...onStaff.filter((s) => !s.openId || !inFile.has(s.openId))]) {
    if (!p.schoolCode) continue;
    const key = `${p.schoolCode}\u0000${p.name}`;
    const list = bySchoolName.get(key);
    if (list) list.push(p);
    else bySchoolName.set(key, [p]);
  }
  const out: NamesakeWarning[] = [];
  for (const list of bySchoolName.values()) {
    const lines = list.filter((p) => p.line !== null).map((p) => p.line!);
    // Someone on staff without an open_id is matched by (school, name): the file's row is that person.
    const staying = list.filter((p) => p.line === null && !(p.openId === null && lines.length > 0));
    if (lines.length === 0 || lines.length + staying.length < 2) continue;
    out.push({ schoolCode: list[0]!.schoolCode!, name: list[0]!.name, lines: lines.sort((a, b) => a - b), onStaff: staying.length });
  }
  return out.sort((a, b) => a.lines[0]! - b.lines[0]!);
}
