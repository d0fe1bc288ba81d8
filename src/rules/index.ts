/** Pure policy rules: roles, the rule catalogue (docs/POLICY.md is generated from it), policy profiles, quotas. No IO, no clock. */
export * from './roles.js';
export * from './sources.js';
export * from './catalogue.js';
export * from './profile.js';
export * from './quota.js';
export * from './deadlines.js';
export * from './dropout.js';
export * from './cards.js';
export * from './records.js';
