/**
 * The roster's public entry: what other features may use (who is on staff,
 * whom a typed name may mean, which schools a person covers). Everything
 * else in src/roster is its own; docs/architecture.md#the-rules.
 */
export { candidatesOf, type Candidate } from './candidates.js';
export { schoolsCoveredBy } from './coverage.js';
export { tellApart, type Trait } from './namesakes.js';
