/**
 * The files the CLI reads (src/files): what is wrong with a file as a whole,
 * or with a line of it, on one line in Chinese and English, as the CLI prints
 * them. No message quotes the file's content: a cell may be a student's name.
 */
const at = (line: number) => `第 ${line} 行`;
const atEn = (line: number) => `line ${line}`;

/** How many problems a refusal lists; the rest are counted. */
export const LISTED_ERRORS = 50;

export const files = {
  tooBig: (maxBytes: number) => `文件超过 ${maxBytes / 1024 / 1024} MB,未读取 / the file is over ${maxBytes / 1024 / 1024} MB and was not read`,
  notUtf8:
    '文件不是 UTF-8 编码,未写入任何数据:请另存为 UTF-8(Excel 用「另存为 → CSV UTF-8(逗号分隔)」) / the file is not UTF-8 and nothing was written: save it as UTF-8 (in Excel, Save As → "CSV UTF-8 (Comma delimited)")',
  nul: (line: number) => `${at(line)}含有空字符(NUL),不是正常的文本,未写入任何数据 / ${atEn(line)} holds a NUL character; nothing was written`,
  lineTooLong: (line: number, column: string, max: number) =>
    `${at(line)}超过 ${max} 个字符(第 ${column} 列处),未写入任何数据 / ${atEn(line)} is over ${max} characters (at column ${column}); nothing was written`,
  openQuote: (line: number, column: string) =>
    `${at(line)}第 ${column} 列的引号没有闭合,未写入任何数据 / ${atEn(line)}, column ${column}: a quote is never closed; nothing was written`,
  badQuote: (line: number, column: string) =>
    `${at(line)}第 ${column} 列的引号用法不对(含引号的格要整格加引号,其中的引号写两遍),未写入任何数据 / ${atEn(line)}, column ${column}: a misplaced quote; nothing was written`,
  badCsv: (line: number) => `${at(line)}:CSV 格式错误,未写入任何数据 / ${atEn(line)}: malformed CSV; nothing was written`,
  /** Problems one per line, at most LISTED_ERRORS of them, then how many more there are. */
  listed: (errors: readonly string[]) =>
    [
      ...errors.slice(0, LISTED_ERRORS),
      ...(errors.length > LISTED_ERRORS
        ? [`……另有 ${errors.length - LISTED_ERRORS} 处错误未列出 / … and ${errors.length - LISTED_ERRORS} more not listed`]
        : []),
    ].join('\n'),
} as const;
