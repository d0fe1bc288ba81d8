import type { AnyCommand } from './command.js';
import type { FoundAction } from './card-guard.js';

/**
 * Every card action by its name (a button's `value.action`), built once per
 * command list. A Map, not the commands' plain `actions` objects: a pressed
 * name is whatever the card's JSON says, and `__proto__` or `constructor`
 * looked up on an object finds its prototype's. Two commands defining one
 * name would make a button act for the wrong one: that stops the start.
 */
const built = new WeakMap<readonly AnyCommand[], ReadonlyMap<string, FoundAction>>();

export function actionRegistry(commands: readonly AnyCommand[]): ReadonlyMap<string, FoundAction> {
  const known = built.get(commands);
  if (known) return known;
  const map = new Map<string, FoundAction>();
  const owner = new Map<string, string>();
  for (const command of commands) {
    for (const [name, action] of Object.entries(command.actions ?? {})) {
      if (owner.has(name)) throw new Error(`card action "${name}" is defined by both /${owner.get(name)} and /${command.names[1]}`);
      owner.set(name, command.names[1]);
      map.set(name, { name, action, command });
    }
  }
  built.set(commands, map);
  return map;
}
