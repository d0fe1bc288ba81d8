import { Hono } from 'hono';
import type { Deps } from '../deps.js';
import type { CommandList } from '../dispatch/index.js';

/** Placeholder until the console lands. */
export function consoleRoutes(_deps: Deps, _commands: CommandList): Hono {
  const app = new Hono();
  app.get('/', (c) => c.text('督学 Duxue console'));
  return app;
}
