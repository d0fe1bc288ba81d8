/** Pure policy rules: roles, the POLICY.md catalogue, policy profiles, quotas. No IO, no clock. */
export * from './roles.js';
export * from './sources.js';
export * from './catalogue.js';
export * from './profile.js';
export * from './quota.js';
export * from './cards.js';
