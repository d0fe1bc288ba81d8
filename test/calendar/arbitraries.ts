import fc from 'fast-check';
import { fromEpochDay, toEpochDay } from '../../src/calendar/index.js';

/** Any date from 2025-01-01 to 2027-12-31 (the years with built-in holiday data). */
export const dateIn2025to2027 = fc.integer({ min: toEpochDay('2025-01-01'), max: toEpochDay('2027-12-31') }).map(fromEpochDay);
