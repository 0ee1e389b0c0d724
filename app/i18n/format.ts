import { intlTags, type Locale } from "./locales";

export type DatePart = "day" | "month" | "year";

/**
 * Intl formatters are costly to build and immutable once built: one per locale and options for
 * the process, never one per call. (Options come from code, so the cache stays small.)
 */
function cached<O extends object, F>(build: (tag: string, options: O) => F): (tag: string, options: O) => F {
  const cache = new Map<string, F>();
  return (tag, options) => {
    const key = `${tag}|${JSON.stringify(options)}`;
    let formatter = cache.get(key);
    if (!formatter) {
      formatter = build(tag, options);
      cache.set(key, formatter);
    }
    return formatter;
  };
}

const dateFormat = cached((tag, options: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(tag, options));
const numberFormat = cached((tag, options: Intl.NumberFormatOptions) => new Intl.NumberFormat(tag, options));
const fieldOrders = new Map<Locale, readonly DatePart[]>();

/**
 * Chromium's ICU has no Luxembourgish while Node's has, so `lb` never reaches Intl: the server and
 * the browser would disagree. Numbers in lb are written as in de-LU (CLDR gives both the same
 * symbols and patterns; a test checks it against Node), and dates are assembled below from de-LU's
 * numeric parts with Luxembourgish month names and patterns.
 */
const numberTags: Record<Locale, string> = { ...intlTags, lb: "de-LU" };

/** CLDR's Luxembourgish month names, abbreviated and in full, in the format context. */
const lbMonths = {
  short: ["Jan.", "Feb.", "Mäe.", "Abr.", "Mee", "Juni", "Juli", "Aug.", "Sep.", "Okt.", "Nov.", "Dez."],
  long: [
    "Januar",
    "Februar",
    "Mäerz",
    "Abrëll",
    "Mee",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
  ],
} as const;

/** What a date says: day, month and year ("medium", "long"), a chart's period ("dayMonth", "monthYear", "longMonthYear"). */
export type DateShape = "medium" | "long" | "dayMonth" | "monthYear" | "longMonthYear";

const shapeOptions: Record<DateShape, Intl.DateTimeFormatOptions> = {
  medium: { dateStyle: "medium" },
  long: { dateStyle: "long" },
  dayMonth: { day: "numeric", month: "short" },
  monthYear: { month: "short", year: "numeric" },
  longMonthYear: { month: "long", year: "numeric" },
};

/** Luxembourgish dates the way CLDR writes them ("1. Dez. 2026 09:05"), from numeric parts any ICU has. */
function formatLuxembourgish(date: Date, shape: DateShape, withTime: boolean, timeZone: string | undefined): string {
  const parts = dateFormat("de-LU", {
    day: "numeric",
    month: "numeric",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZone,
  }).formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? "";
  const month = Number(part("month")) - 1;
  const short = lbMonths.short[month];
  const long = lbMonths.long[month];
  const text = {
    medium: `${part("day")}. ${short} ${part("year")}`,
    long: `${part("day")}. ${long} ${part("year")}`,
    dayMonth: `${part("day")}. ${short}`,
    monthYear: `${short} ${part("year")}`,
    longMonthYear: `${long} ${part("year")}`,
  }[shape];
  return withTime ? `${text} ${part("hour").padStart(2, "0")}:${part("minute")}` : text;
}

/** The order a person writing a date in `locale` expects the day, month and year fields. */
export function dateFieldOrder(locale: Locale): readonly DatePart[] {
  let order = fieldOrders.get(locale);
  if (!order) {
    // Luxembourgish writes day, month, year like its neighbours (CLDR "d.M.y").
    order = dateFormat(locale === "lb" ? "de-LU" : intlTags[locale], {
      day: "numeric",
      month: "numeric",
      year: "numeric",
    })
      .formatToParts(new Date(Date.UTC(2000, 0, 31)))
      .map((part) => part.type)
      .filter((type): type is DatePart => type === "day" || type === "month" || type === "year");
    fieldOrders.set(locale, order);
  }
  return order;
}

/**
 * The one date formatter: dates in the page's language and the store's time zone, the same
 * string on the server and in any browser.
 */
export function formatDate(
  locale: Locale,
  value: Date | string,
  options: { timeZone?: string; withTime?: boolean; shape?: DateShape } = {},
): string {
  const date = typeof value === "string" ? new Date(value) : value;
  const shape = options.shape ?? "medium";
  const withTime = Boolean(options.withTime) && (shape === "medium" || shape === "long");
  if (locale === "lb") return formatLuxembourgish(date, shape, withTime, options.timeZone);
  const formatted = dateFormat(intlTags[locale], {
    ...shapeOptions[shape],
    ...(withTime ? { timeStyle: "short" } : {}),
    timeZone: options.timeZone,
  }).format(date);
  // French writes the first of the month as an ordinal ("1er déc. 2026"); Intl writes "1 déc. 2026".
  return locale === "fr" ? formatted.replace(/^1(?=\s)/, "1er") : formatted;
}

export function formatNumber(locale: Locale, value: number, options: Intl.NumberFormatOptions = {}): string {
  return numberFormat(numberTags[locale], options).format(value);
}

export function formatSigned(locale: Locale, value: number): string {
  return formatNumber(locale, value, { signDisplay: "exceptZero" });
}

/** The locale's decimal separator: "," in fr, de and lb, "." in en. */
export function decimalSeparator(locale: Locale): string {
  return (
    numberFormat(numberTags[locale], {})
      .formatToParts(1.5)
      .find((part) => part.type === "decimal")?.value ?? "."
  );
}
