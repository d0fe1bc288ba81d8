/**
 * Dropout's public entry: what other features may use (the digest's counts
 * of open cases). Everything else in src/dropout is its own, minors' data
 * above all; docs/architecture.md#the-rules.
 */
export { dropoutCountsForDigest } from './service.js';
