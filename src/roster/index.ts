/**
 * The roster's public entry: what other features may use (who is on staff,
 * whom a typed name may mean, which schools a person covers), and what the
 * platform adapters and entries call to keep it from the directory.
 * Everything else in src/roster is its own; docs/architecture.md#the-rules.
 */
export { candidatesOf, type Candidate } from './candidates.js';
export { schoolsCoveredBy } from './coverage.js';
export { tellApart, type Trait } from './namesakes.js';
export {
  DepartmentAccessError,
  DirectoryError,
  type DirectoryChange,
  type OrgDepartment,
  type OrgDirectory,
  type OrgPerson,
  type PeopleDirectory,
} from './directory.js';
export { syncRoster, type SyncReport } from './sync.js';
export { applyDirectoryChange } from './live.js';
