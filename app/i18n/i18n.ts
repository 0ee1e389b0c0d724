import { createInstance, type i18n as I18n, type Resource } from "i18next";
import { initReactI18next } from "react-i18next";
import type enCommon from "../../locales/en/common.json";
import type enConsole from "../../locales/en/console.json";
import type enEmail from "../../locales/en/email.json";
import type enStorefront from "../../locales/en/storefront.json";
import type enTerminal from "../../locales/en/terminal.json";
import type { Locale } from "./locales";

export const allNamespaces = ["common", "storefront", "console", "email", "terminal"] as const;
export type Namespace = (typeof allNamespaces)[number];

/**
 * The strings each surface's pages need in the browser (emails never leave the server). None on the
 * storefront: its pages are plain HTML and do not hydrate (ADR 043, `surfaceHydrates`).
 */
export const surfaceNamespaces = {
  storefront: [],
  // The console names SMTP settings in the words the test email uses (email:smtpTest.*).
  platform: ["common", "console", "email"],
  // The counter terminal carries its own strings for all four languages in its bundle (offline switching).
  terminal: ["common", "terminal"],
} as const satisfies Record<string, readonly Namespace[]>;
export type Surface = keyof typeof surfaceNamespaces;

declare module "i18next" {
  interface CustomTypeOptions {
    defaultNS: "common";
    resources: {
      common: typeof enCommon;
      storefront: typeof enStorefront;
      console: typeof enConsole;
      email: typeof enEmail;
      terminal: typeof enTerminal;
    };
  }
}

/** A synchronous i18next instance for one locale, used the same way on server and client. */
export function createI18n(locale: Locale, resources: Resource[string]): I18n {
  const instance = createInstance();
  instance.use(initReactI18next).init({
    lng: locale,
    resources: { [locale]: resources },
    ns: Object.keys(resources),
    defaultNS: "common",
    fallbackLng: false,
    interpolation: { escapeValue: false },
    initAsync: false,
    returnNull: false,
  });
  return instance;
}
