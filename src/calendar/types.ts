import type { LocalDate } from './date.js';

/** A named inclusive date range: a term (学期), a public holiday, a school closure. */
export interface DateRange {
  name: string;
  start: LocalDate;
  end: LocalDate;
  /**
   * True when the dates are our best reconstruction rather than an official notice
   * (e.g. 2027 holidays before the State Council publishes them). Replies may say so;
   * a bureau replaces them through `calendar import`.
   */
  provisional?: boolean;
}

/** A weekend day declared a working day to bridge a holiday (调休上班). */
export interface MakeupWorkday {
  date: LocalDate;
  /** The holiday it pays for, e.g. `'国庆节'`. */
  name: string;
  provisional?: boolean;
}

/**
 * Everything needed to decide whether a date is a school day.
 * Days outside every term are winter/summer break (寒假/暑假).
 */
export interface SchoolCalendar {
  name: string;
  /** Teaching terms, winter and summer breaks excluded. */
  terms: DateRange[];
  /** Statutory public holidays (法定节假日), whole blocks as announced, weekends included. */
  holidays: DateRange[];
  /** 调休上班: Saturdays/Sundays that are working (and so school) days. */
  makeupWorkdays: MakeupWorkday[];
  /** Extra school- or county-specific closures (e.g. 运动会, 农忙假); optional. */
  breaks?: DateRange[];
}
