import type { Resource } from "i18next";
import deCommon from "../../locales/de/common.json";
import deConsole from "../../locales/de/console.json";
import deEmail from "../../locales/de/email.json";
import deStorefront from "../../locales/de/storefront.json";
import deTerminal from "../../locales/de/terminal.json";
import enCommon from "../../locales/en/common.json";
import enConsole from "../../locales/en/console.json";
import enEmail from "../../locales/en/email.json";
import enStorefront from "../../locales/en/storefront.json";
import enTerminal from "../../locales/en/terminal.json";
import frCommon from "../../locales/fr/common.json";
import frConsole from "../../locales/fr/console.json";
import frEmail from "../../locales/fr/email.json";
import frStorefront from "../../locales/fr/storefront.json";
import frTerminal from "../../locales/fr/terminal.json";
import lbCommon from "../../locales/lb/common.json";
import lbConsole from "../../locales/lb/console.json";
import lbEmail from "../../locales/lb/email.json";
import lbStorefront from "../../locales/lb/storefront.json";
import lbTerminal from "../../locales/lb/terminal.json";
import { createI18n } from "./i18n";
import type { Locale } from "./locales";

export const resources = {
  en: { common: enCommon, storefront: enStorefront, console: enConsole, email: enEmail, terminal: enTerminal },
  fr: { common: frCommon, storefront: frStorefront, console: frConsole, email: frEmail, terminal: frTerminal },
  de: { common: deCommon, storefront: deStorefront, console: deConsole, email: deEmail, terminal: deTerminal },
  lb: { common: lbCommon, storefront: lbStorefront, console: lbConsole, email: lbEmail, terminal: lbTerminal },
} satisfies Record<Locale, Resource[string]>;

const instances = new Map<Locale, ReturnType<typeof createI18n>>();

/**
 * Server-side instance with every namespace, emails included. One per locale for the process:
 * it is only read (its language never changes), so requests can share it.
 */
export function serverI18n(locale: Locale) {
  let instance = instances.get(locale);
  if (!instance) {
    instance = createI18n(locale, resources[locale]);
    instances.set(locale, instance);
  }
  return instance;
}
