import { decimalSeparator, formatNumber } from "~/i18n/format";
import type { Locale } from "~/i18n/locales";

export { decimalSeparator };

/** A key of the amount keypad. */
export type AmountKey = "0" | "1" | "2" | "3" | "4" | "5" | "6" | "7" | "8" | "9" | "decimal" | "back" | "clear";

/** The largest purchase the API takes: 100,000.00 € (contract.ts `amountCents`). */
export const maxAmountCents = 10_000_000;

/**
 * The keypad's entry is kept as plain digits with at most one "." and two decimals ("42.5"), whatever
 * the language; only its display uses the locale's separator. A key that would make the entry
 * invalid (a third decimal, a second separator, more than the maximum) is ignored.
 */
export function pressAmountKey(entry: string, key: AmountKey): string {
  if (key === "clear") return "";
  if (key === "back") return entry.slice(0, -1);
  if (key === "decimal") {
    if (entry.includes(".")) return entry;
    return entry === "" ? "0." : `${entry}.`;
  }
  const [, decimals] = entry.split(".");
  if (decimals !== undefined && decimals.length >= 2) return entry;
  const next = entry === "0" ? key : `${entry}${key}`;
  const cents = entryCents(next);
  return cents !== null && cents > maxAmountCents ? entry : next;
}

/** The entry in integer cents ("42.5" → 4250); null when empty. */
export function entryCents(entry: string): number | null {
  if (!/^\d+(\.\d{0,2})?$/.test(entry)) return null;
  const [euros = "0", decimals = ""] = entry.split(".");
  return Number(euros) * 100 + Number(decimals.padEnd(2, "0"));
}

/** The entry as typed, in the locale's digits and separator ("42,5"); "0" when empty. */
export function displayEntry(entry: string, locale: Locale): string {
  return entry === "" ? "0" : entry.replace(".", decimalSeparator(locale));
}

/** An amount in cents as money in the locale ("42,50 €", "€42.50"). */
export function formatCents(cents: number, locale: Locale): string {
  return formatNumber(locale, cents / 100, { style: "currency", currency: "EUR" });
}
