import { intlTags, type Locale } from "./locales";

export type DatePart = "day" | "month" | "year";

/**
 * Intl formatters are costly to build and immutable once built: one per locale and options for
 * the process, never one per call. (Options come from code, so the cache stays small.)
 */
function cached<O extends object, F>(build: (tag: string, options: O) => F): (locale: Locale, options: O) => F {
  const cache = new Map<string, F>();
  return (locale, options) => {
    const key = `${locale}|${JSON.stringify(options)}`;
    let formatter = cache.get(key);
    if (!formatter) {
      formatter = build(intlTags[locale], options);
      cache.set(key, formatter);
    }
    return formatter;
  };
}

const dateFormat = cached((tag, options: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(tag, options));
const numberFormat = cached((tag, options: Intl.NumberFormatOptions) => new Intl.NumberFormat(tag, options));
const fieldOrders = new Map<Locale, readonly DatePart[]>();

/** The order a person writing a date in `locale` expects the day, month and year fields. */
export function dateFieldOrder(locale: Locale): readonly DatePart[] {
  let order = fieldOrders.get(locale);
  if (!order) {
    order = dateFormat(locale, { day: "numeric", month: "numeric", year: "numeric" })
      .formatToParts(new Date(Date.UTC(2000, 0, 31)))
      .map((part) => part.type)
      .filter((type): type is DatePart => type === "day" || type === "month" || type === "year");
    fieldOrders.set(locale, order);
  }
  return order;
}

/** The one date formatter: dates in the page's language and the store's time zone. */
export function formatDate(
  locale: Locale,
  value: Date | string,
  options: { timeZone?: string; withTime?: boolean } = {},
): string {
  const formatted = dateFormat(locale, {
    dateStyle: "medium",
    timeStyle: options.withTime ? "short" : undefined,
    timeZone: options.timeZone,
  }).format(typeof value === "string" ? new Date(value) : value);
  // French writes the first of the month as an ordinal ("1er déc. 2026"); Intl writes "1 déc. 2026".
  return locale === "fr" ? formatted.replace(/^1(?=\s)/, "1er") : formatted;
}

export function formatNumber(locale: Locale, value: number, options: Intl.NumberFormatOptions = {}): string {
  return numberFormat(locale, options).format(value);
}

export function formatSigned(locale: Locale, value: number): string {
  return formatNumber(locale, value, { signDisplay: "exceptZero" });
}
