import type { Locale } from "~/i18n/locales";

/**
 * What Excel shows after opening a .csv file (double-click, no import wizard) on a computer whose
 * regional settings are `locale`'s. Written from Excel's documented behaviour, independently of
 * the export code, so the export's tests check what a merchant actually sees:
 * - without a UTF-8 byte order mark the bytes are read as Windows-1252 (accents garbled);
 * - cells are split on the region's list separator (`;` where the decimal separator is a comma);
 * - quotes only group text: a quoted "1234" is still a number;
 * - a cell that looks like a number becomes a number, rounded to 15 significant digits;
 *   "2026-12-01" or "2026-12-01 14:30" becomes a date; "=…" a formula; the rest is text.
 */
export interface ExcelCell {
  kind: "text" | "number" | "date" | "formula";
  /** What the cell shows: for a number, its value after Excel's 15-digit rounding. */
  shown: string;
}

const regionalSettings: Record<Locale, { list: string; decimal: string; group: string }> = {
  en: { list: ",", decimal: ".", group: "," },
  fr: { list: ";", decimal: ",", group: " " },
  de: { list: ";", decimal: ",", group: "." },
  lb: { list: ";", decimal: ",", group: "." },
};

export function openInExcel(bytes: Uint8Array, locale: Locale): ExcelCell[][] {
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const text = bom ? new TextDecoder("utf-8").decode(bytes.subarray(3)) : new TextDecoder("windows-1252").decode(bytes);
  const settings = regionalSettings[locale];
  return splitRecords(text, settings.list).map((record) => record.map((raw) => typeCell(raw, settings)));
}

function splitRecords(text: string, separator: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === separator) {
      record.push(cell);
      cell = "";
    } else if (char === "\n" || char === "\r") {
      if (char === "\r" && text[i + 1] === "\n") i++;
      record.push(cell);
      records.push(record);
      record = [];
      cell = "";
    } else cell += char;
  }
  if (cell !== "" || record.length > 0) records.push([...record, cell]);
  return records;
}

function typeCell(raw: string, settings: { decimal: string; group: string }): ExcelCell {
  if (raw.startsWith("=")) return { kind: "formula", shown: raw };
  if (/^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}(:\d{2})?)?$/.test(raw)) return { kind: "date", shown: raw };
  const literal = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const group = literal(settings.group);
  const decimal = literal(settings.decimal);
  const numberPattern = new RegExp(`^-?(\\d+|\\d{1,3}(${group}\\d{3})+)(${decimal}\\d+)?$`);
  if (numberPattern.test(raw.trim())) {
    const value = Number(raw.trim().replaceAll(settings.group, "").replace(settings.decimal, "."));
    return { kind: "number", shown: String(Number(value.toPrecision(15))) };
  }
  return { kind: "text", shown: raw };
}
