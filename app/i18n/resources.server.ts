import type { Resource } from "i18next";
import deCommon from "../../locales/de/common.json";
import deEmail from "../../locales/de/email.json";
import deStorefront from "../../locales/de/storefront.json";
import enCommon from "../../locales/en/common.json";
import enEmail from "../../locales/en/email.json";
import enStorefront from "../../locales/en/storefront.json";
import frCommon from "../../locales/fr/common.json";
import frEmail from "../../locales/fr/email.json";
import frStorefront from "../../locales/fr/storefront.json";
import lbCommon from "../../locales/lb/common.json";
import lbEmail from "../../locales/lb/email.json";
import lbStorefront from "../../locales/lb/storefront.json";
import { createI18n, pageNamespaces } from "./i18n";
import type { Locale } from "./locales";

export const resources = {
  en: { common: enCommon, storefront: enStorefront, email: enEmail },
  fr: { common: frCommon, storefront: frStorefront, email: frEmail },
  de: { common: deCommon, storefront: deStorefront, email: deEmail },
  lb: { common: lbCommon, storefront: lbStorefront, email: lbEmail },
} satisfies Record<Locale, Resource[string]>;

/** Server-side instance with every namespace, emails included. */
export function serverI18n(locale: Locale) {
  return createI18n(locale, resources[locale]);
}

/** What the browser needs to render pages in `locale` (no email copy). */
export function pageResources(locale: Locale): Resource[string] {
  return Object.fromEntries(pageNamespaces.map((ns) => [ns, resources[locale][ns]]));
}
