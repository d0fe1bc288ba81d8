import type { DigestSection } from '../sections.js';

/**
 * The sections other features add to a school's digest, in the order they
 * show. Empty on this branch: each feature's counts plug in here at merge —
 *
 *   import { dropoutSection } from './dropout.js';      // + openCasesBySchool from the dropout repo
 *   import { deadlinesSection } from './deadlines.js';  // + deadline counts per school
 *   import { noticesSection } from './notices.js';      // + unacknowledged-notice counts per school
 *
 *   export const DIGEST_SECTIONS = [dropoutSection(openCasesBySchool), deadlinesSection(…), noticesSection(…)];
 *
 * The listening parts (compliance, leaders, runs of shortfalls, the trend) are
 * the digest's own and always present (src/cards/digest.ts).
 */
export const DIGEST_SECTIONS: readonly DigestSection[] = [];
