/**
 * Chinese messages for zod validation of files a bureau writes (calendar, policy
 * profile). The people fixing those files read Chinese, and each message must name the
 * field (`terms[0].start`) so they can find it. Passed per parse, never set globally:
 * other modules may use zod with their own messages.
 */
import type { z } from 'zod';
import { clip } from '../i18n/bi.js';

type Issue = z.core.$ZodRawIssue;

const TYPE_ZH: Record<string, string> = {
  string: '文本',
  number: '数字',
  int: '整数',
  boolean: '布尔值(true/false)',
  array: '数组',
  object: '对象',
  null: '空值',
  undefined: '空',
};

/** A zod error map (`schema.safeParse(x, { error: zhErrorMap })`). */
export function zhErrorMap(issue: Issue): string {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return '缺少必填字段';
      return `类型错误,应为${TYPE_ZH[issue.expected] ?? issue.expected}`;
    case 'too_small':
      if (issue.origin === 'string') return '不能为空';
      if (issue.origin === 'array') return `至少需要 ${issue.minimum} 项`;
      return `不能小于 ${issue.minimum}`;
    case 'too_big':
      if (issue.origin === 'string') return `过长(最多 ${issue.maximum} 个字符)`;
      if (issue.origin === 'array') return `最多 ${issue.maximum} 项`;
      return `不能大于 ${issue.maximum}`;
    case 'unrecognized_keys':
      return `未知字段:${issue.keys
        .slice(0, 10)
        .map((k) => `「${clip(k, 32)}」`)
        .join('、')}${issue.keys.length > 10 ? ` 等 ${issue.keys.length} 个` : ''}`;
    case 'invalid_value':
      return `取值无效,应为:${issue.values.map(String).join('、')}`;
    case 'invalid_format':
      return '格式不正确';
    default:
      return '取值无效';
  }
}

/** `terms[0].start` from zod's path array. */
export function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '(文件整体)' : out;
}

/** One Chinese line per issue: `字段 terms[0].start:日期应为…`. */
export function issuesZh(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((i) => `字段 ${fieldPath(i.path)}:${i.message}`);
}
