/**
 * How a lesson observation is recorded (LQ-8: 听课、评课均要有记录). The policy asks
 * for a record of both and says nothing of its length or of how late it may be
 * written: these numbers are Duxue's own defaults, listed with the others in
 * docs/rules.md ("Where the documents are silent").
 */
export const OBSERVATION_RECORD = {
  ruleId: 'LQ-8',
  /** How many days back a lesson may be logged (补记): up to a week late. */
  maxBackfillDays: 7,
  /** The shortest evaluation (评课) that counts as a record of one, in characters. */
  minEvaluationChars: 5,
} as const;
