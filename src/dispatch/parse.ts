import type { AnyCommand } from './command.js';

/** Full-width slash and punctuation that phone keyboards produce. */
const LEADING = /^[/／]\s*/;

export interface Parsed {
  command: AnyCommand;
  name: string;
  rest: string;
}

/**
 * Find the command a text starts with. Chinese names need no space after them
 * (`/记录3月2日 …`); English names do (`/logs` is not `/log`). The slash is
 * optional: a plain `听课` in a 1:1 chat works too.
 */
export function parseCommand(text: string, commands: readonly AnyCommand[]): Parsed | null {
  const body = text.trim().replace(LEADING, '');
  const lower = body.toLowerCase();
  let best: Parsed | null = null;
  for (const command of commands) {
    for (const name of command.names) {
      const n = name.toLowerCase();
      if (!lower.startsWith(n)) continue;
      const next = body.charAt(n.length);
      const ascii = /^[a-z]/.test(n);
      if (ascii && next !== '' && !/\s/.test(next)) continue;
      if (!best || n.length > best.name.length) best = { command, name, rest: body.slice(n.length).trim() };
    }
  }
  return best;
}
