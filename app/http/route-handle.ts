/**
 * What a route module's `handle` export tells the HTTP pipeline; a child inherits its layouts'.
 * The pipeline reads it from the route table, so a rule holds for every loader and action below.
 */
export interface RouteHandle {
  /** Served on the platform host only: a store host answers 404, for every method. */
  surface?: "platform";
  /** Shows one person's data: `Cache-Control: no-store`, so a shared computer's back button shows nothing. */
  private?: boolean;
  /** Path parameters that are bearer secrets: the logs show the route's pattern instead of the path. */
  secretParams?: readonly string[];
  /** The strings the page sends to the browser when not its host's (the counter terminal has its own). */
  strings?: "terminal";
  /** The id of the page's form whose typed values the language switcher carries to the new language. */
  languageKeepsForm?: string;
  /**
   * The route renders from its loader data, the URL and the locale alone (no clock, cookie, session or
   * module state read while rendering): a page whose every matched route says so is rendered once per
   * distinct input and served again with the response's own nonce (ADR 036). Not inherited.
   */
  renderMemo?: boolean;
}
