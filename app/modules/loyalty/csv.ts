import { intlTags, type Locale } from "~/i18n/locales";

/**
 * How a spreadsheet in the reader's language splits a CSV file: Excel takes the list separator
 * from the system's regional settings, which is `;` wherever the decimal separator is a comma.
 */
export interface CsvDialect {
  separator: "," | ";";
}

export function csvDialect(locale: Locale): CsvDialect {
  const decimal = new Intl.NumberFormat(intlTags[locale]).formatToParts(1.5).find((part) => part.type === "decimal");
  return { separator: decimal?.value === "," ? ";" : "," };
}

const commaDialect: CsvDialect = { separator: "," };

/**
 * One CSV cell (RFC 4180 quoting). A cell that a spreadsheet would read as a formula
 * (=, +, -, @, tab, carriage return first) gets a leading apostrophe: no CSV injection.
 */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "";
  let text = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  // Both separators are quoted, so a cell reads the same whichever the reader's spreadsheet uses.
  return /[",;\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: (string | number | null | undefined)[], dialect: CsvDialect = commaDialect): string {
  return `${values.map(csvCell).join(dialect.separator)}\r\n`;
}

/** The byte order mark that tells Excel the file is UTF-8 (without it, accents come out as Ã©). */
export const utf8Bom = "\uFEFF";

/**
 * A date and time as "2026-12-01 14:30" in `timeZone`: every spreadsheet, whatever its language,
 * reads that as a date it can sort and filter.
 */
export function spreadsheetDateTime(value: Date, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-CA", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    })
      .formatToParts(value)
      .map((part) => [part.type, part.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}
