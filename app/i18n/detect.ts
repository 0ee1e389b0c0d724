import Negotiator from "negotiator";
import { isLocale, type Locale, locales, platformDefaultLocale } from "./locales";

export interface LocaleSignals {
  /** `?lang=` on the URL. */
  query: string | null;
  /** The signed-in staff member's saved language (platform pages). */
  userPreference?: string | null;
  /** The remembered choice. */
  cookie: string | undefined;
  acceptLanguage: string | undefined;
  /** Languages the surface offers (a store's enabled languages, or all on the platform). */
  enabled: readonly Locale[];
  /** The store's default language, when on a storefront. */
  surfaceDefault?: Locale;
}

export interface DetectedLocale {
  locale: Locale;
  /** Set when `?lang=` chose the language, so the choice is remembered in the cookie. */
  remember: boolean;
}

/** `?lang=` → the user's saved language → cookie → Accept-Language among the enabled languages → surface default → en. */
export function detectLocale(signals: LocaleSignals): DetectedLocale {
  const enabled = signals.enabled.length > 0 ? signals.enabled : locales;
  const usable = (value: unknown): value is Locale => isLocale(value) && enabled.includes(value);
  if (usable(signals.query)) return { locale: signals.query, remember: true };
  if (usable(signals.userPreference)) return { locale: signals.userPreference, remember: false };
  if (usable(signals.cookie)) return { locale: signals.cookie, remember: false };
  if (signals.acceptLanguage) {
    const [preferred] = new Negotiator({ headers: { "accept-language": signals.acceptLanguage } }).languages([
      ...enabled,
    ]);
    if (usable(preferred)) return { locale: preferred, remember: false };
  }
  if (usable(signals.surfaceDefault)) return { locale: signals.surfaceDefault, remember: false };
  return {
    locale: usable(platformDefaultLocale) ? platformDefaultLocale : (enabled[0] ?? platformDefaultLocale),
    remember: false,
  };
}

export const localeCookieName = "rf_lang";
