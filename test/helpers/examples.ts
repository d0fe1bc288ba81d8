/**
 * The command lines a usage string shows, as a reader would type them on the
 * demo county (src/demo): used by the help-examples test and the English walk.
 */
/** The placeholders a usage line shows, and what a reader would type for them on the demo. */
const FILL: [RegExp, string][] = [
  [/评价…/, '课堂节奏清楚,建议增加板书'],
  [/<evaluation>/, 'Clear pacing; more board work next time.'],
  [/学校代码|<school code>|school code/, 'LZ001'],
  [/案件编号|<case no\.>/, '1'],
];

/** The concrete lines of one usage: alternatives split, notes in brackets dropped, `[a|b]` expanded, placeholders filled. */
export function examplesOf(usage: string): string[] {
  const lines = usage.split(/\s*或\s*|\s+or\s+|,\s+(?=\/)/).map((l) =>
    l
      .replace(/\s*[((][^))]*[))]\s*$/, '')
      .replace(/\s*[((][^))]*[))]\s*/, ' ')
      .trim(),
  );
  const out = lines.flatMap((l) => {
    const options = /\[([^\]]+)\]/.exec(l);
    if (!options) return [l];
    return [l.replace(options[0], '').trim(), ...options[1]!.split('|').map((o) => l.replace(options[0], o))];
  });
  return out.map((l) => FILL.reduce((s, [re, v]) => s.replace(re, v), l));
}
