import { readFileSync } from 'node:fs';
import type { Config } from '../config.js';
import { parsePolicyProfile, type PolicyProfile } from '../rules/profile.js';

/** A configuration problem: its message is the one line to print. */
export class ConfigError extends Error {}

/**
 * What every entry needs before it can build Deps, in one place so the Node
 * server, the Worker and the CLI cannot drift apart: the policy profile in
 * force (DUXUE_POLICY) and the settings stored in the database (the bureau
 * calendar).
 */
export type PolicyResult = { ok: true; profile: PolicyProfile | undefined } | { ok: false; error: string };

/**
 * DUXUE_POLICY: a path to the profile JSON on Node; on Workers (no files) the
 * JSON itself. Returns a one-line error naming the variable on any problem.
 */
export function loadPolicy(config: Config, source: 'path' | 'inline'): PolicyResult {
  const value = config.DUXUE_POLICY;
  if (!value) return { ok: true, profile: undefined };
  let json: unknown;
  try {
    json = JSON.parse(source === 'path' ? readFileSync(value, 'utf8') : value);
  } catch {
    return {
      ok: false,
      error:
        source === 'path'
          ? `配置错误 / invalid configuration: DUXUE_POLICY cannot read JSON from ${value}`
          : '配置错误 / invalid configuration: DUXUE_POLICY must hold the profile JSON itself on Workers (there is no file to read)',
    };
  }
  const parsed = parsePolicyProfile(json);
  if (!parsed.ok) return { ok: false, error: `配置错误 / invalid configuration: DUXUE_POLICY ${parsed.errors.join('; ')}` };
  return { ok: true, profile: parsed.profile };
}
