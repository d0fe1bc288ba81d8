/**
 * Listening's public entry: what other features may use (the digest ranks
 * schools on each week's observations). Everything else in src/listening is
 * its own; docs/architecture.md#the-rules.
 */
export { complianceWeeks, rankSchoolWeeks, type ComplianceWeeks, type SchoolRef, type SchoolWeek, type PersonWeekRow } from './compliance.js';
export { weekFacts, type WeekFacts } from './status.js';
