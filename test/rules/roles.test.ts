import { describe, expect, it } from 'vitest';
import { isOfficial, isRole, isSchoolLeader, isTeacher, parseRoles, ROLES } from '../../src/rules/index.js';

describe('roles', () => {
  it('lists the seven roster roles', () => {
    expect(ROLES).toEqual(['书记', '校长', '分管教学副校长', '教务主任', '专任教师', '教育局', '督学']);
  });

  it('tells school leaders (LQ-10), officials and teachers apart', () => {
    expect(['书记', '校长', '分管教学副校长', '教务主任'].every((r) => isSchoolLeader([r as never]))).toBe(true);
    expect(isSchoolLeader(['专任教师'])).toBe(false);
    expect(isSchoolLeader(['专任教师', '教务主任'])).toBe(true);
    expect([isOfficial(['教育局']), isOfficial(['督学']), isOfficial(['校长'])]).toEqual([true, true, false]);
    expect([isTeacher(['专任教师']), isTeacher(['教务主任'])]).toEqual([true, false]);
    expect([isRole('督学'), isRole('班主任'), isRole(1)]).toEqual([true, false, false]);
  });

  it('parses a roster cell, dropping duplicates and reporting unknown names', () => {
    expect(parseRoles('书记| 校长 |书记||班主任')).toEqual({ roles: ['书记', '校长'], unknown: ['班主任'] });
  });
});
