export const locales = ["fr", "de", "lb", "en"] as const;
export type Locale = (typeof locales)[number];
export const platformDefaultLocale: Locale = "en";

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (locales as readonly string[]).includes(value);
}

/** The Intl tag used for dates, numbers and field order: the product serves Luxembourg and its neighbours. */
export const intlTags: Record<Locale, string> = {
  fr: "fr-LU",
  de: "de-LU",
  lb: "lb-LU",
  en: "en-GB",
};

export type Translations = Record<Locale, string>;
export type PartialTranslations = Partial<Translations>;
