/**
 * Who a mobile number or an email belongs to on the chat platform, for this
 * app. The roster asks; an adapter answers (Lark: src/lark/contact.ts), with
 * the platform's batching, rate limits and retries kept on its side.
 */
export interface PeopleDirectory {
  /**
   * The open_id of each mobile and email the platform knows and lets this app
   * see, keyed by the value as asked. A value it does not know, or a person
   * outside the app's availability range, is simply absent: Lark answers both
   * the same way. Throws DirectoryError when the lookup itself fails.
   */
  resolve(query: { mobiles: readonly string[]; emails: readonly string[] }): Promise<DirectoryAnswer>;
}

export interface DirectoryAnswer {
  byMobile: Map<string, string>;
  byEmail: Map<string, string>;
  /** Requests made (for the summary and the rate-limit measurement). */
  calls: number;
}

/** The lookup could not be done (missing scope, bad credentials, platform down): one line for whoever runs the import. */
export class DirectoryError extends Error {}
