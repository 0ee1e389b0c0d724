import type { i18n as I18n } from "i18next";
import type { useTranslation } from "react-i18next";
import { isLocale, type Locale } from "~/i18n/locales";
import de from "../../locales/de/terminal.json";
import en from "../../locales/en/terminal.json";
import fr from "../../locales/fr/terminal.json";
import lb from "../../locales/lb/terminal.json";
import { NetworkError, TerminalApiError } from "./api";

/** All four languages ship in the terminal's bundle, so staff can switch language offline. */
const terminalStrings: Record<Locale, typeof en> = { en, fr, de, lb };

/** Where the terminal remembers the language chosen with its switcher (this device only). */
const languageKey = "rf-terminal-language";

export function rememberedLanguage(): Locale | null {
  try {
    const stored = window.localStorage.getItem(languageKey);
    return isLocale(stored) ? stored : null;
  } catch {
    return null;
  }
}

/**
 * Switches the page's i18next instance (so `<html lang>` follows), remembers the choice on the
 * device, and in the language cookie so the next page load is rendered in it by the server.
 */
export async function switchTerminalLanguage(i18n: I18n, locale: Locale, remember: boolean): Promise<void> {
  if (!i18n.hasResourceBundle(locale, "terminal")) {
    i18n.addResourceBundle(locale, "terminal", terminalStrings[locale], true, true);
  }
  if (remember) {
    try {
      window.localStorage.setItem(languageKey, locale);
    } catch {
      // Private mode without storage: the choice lasts for this page only.
    }
    // biome-ignore lint/suspicious/noDocumentCookie: the Cookie Store API is missing from some counter browsers.
    document.cookie = `rf_lang=${locale}; path=/; max-age=${365 * 24 * 3600}; samesite=lax`;
  }
  await i18n.changeLanguage(locale);
}

export type TerminalT = ReturnType<typeof useTranslation<"terminal">>["t"];

/** The terminal's own words for the refusals staff meet at the counter, else the server's (localized) message. */
export function errorMessage(t: TerminalT, code: string, serverMessage: string): string {
  const key = `errors.${code}`;
  return t(key as "errors.card_not_found", { defaultValue: serverMessage || t("errors.unexpected") });
}

/** The message for an API failure in the terminal's language; network failures say so. */
export function failureMessage(t: TerminalT, error: unknown): string {
  if (error instanceof NetworkError) return t("errors.network");
  if (error instanceof TerminalApiError) return errorMessage(t, error.code, error.message);
  return t("errors.unexpected");
}
