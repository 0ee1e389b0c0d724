import { intlTags, type Locale } from "./locales";

export type DatePart = "day" | "month" | "year";

/** The order a person writing a date in `locale` expects the day, month and year fields. */
export function dateFieldOrder(locale: Locale): DatePart[] {
  return new Intl.DateTimeFormat(intlTags[locale], { day: "numeric", month: "numeric", year: "numeric" })
    .formatToParts(new Date(Date.UTC(2000, 0, 31)))
    .map((part) => part.type)
    .filter((type): type is DatePart => type === "day" || type === "month" || type === "year");
}

/** The one date formatter: dates in the page's language and the store's time zone. */
export function formatDate(
  locale: Locale,
  value: Date | string,
  options: { timeZone?: string; withTime?: boolean } = {},
): string {
  const formatted = new Intl.DateTimeFormat(intlTags[locale], {
    dateStyle: "medium",
    timeStyle: options.withTime ? "short" : undefined,
    timeZone: options.timeZone,
  }).format(typeof value === "string" ? new Date(value) : value);
  // French writes the first of the month as an ordinal ("1er déc. 2026"); Intl writes "1 déc. 2026".
  return locale === "fr" ? formatted.replace(/^1(?=\s)/, "1er") : formatted;
}

export function formatNumber(locale: Locale, value: number, options: Intl.NumberFormatOptions = {}): string {
  return new Intl.NumberFormat(intlTags[locale], options).format(value);
}

export function formatSigned(locale: Locale, value: number): string {
  return formatNumber(locale, value, { signDisplay: "exceptZero" });
}
