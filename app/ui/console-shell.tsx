import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Form, NavLink } from "react-router";
import type { Locale } from "~/i18n/locales";
import { locales } from "~/i18n/locales";
import { LanguageSwitcher } from "./language-switcher";

export interface ConsoleNavItem {
  to: string;
  label: string;
  end?: boolean;
}

/** Frame of the admin console and the merchant portal: who is signed in, navigation, sign-out. */
export function ConsoleShell(props: {
  title: string;
  userName: string;
  locale: Locale;
  nav: ConsoleNavItem[];
  children: ReactNode;
}) {
  const { t } = useTranslation(["console", "common"]);
  return (
    <>
      <a className="skip-link" href="#main">
        {t("common:skipToContent")}
      </a>
      <header className="site-header console-header">
        <div className="site-header-inner">
          <span className="brand">{props.title}</span>
          <span className="muted">{t("console:shell.signedInAs", { name: props.userName })}</span>
          <Form method="post" action="/logout" reloadDocument>
            <button type="submit" className="button button-secondary">
              {t("console:shell.signOut")}
            </button>
          </Form>
          <LanguageSwitcher current={props.locale} languages={[...locales]} saveAction="/account/language" />
        </div>
        <nav aria-label={t("console:shell.mainNav")} className="console-nav">
          <ul>
            {props.nav.map((item) => (
              <li key={item.to}>
                <NavLink to={item.to} end={item.end}>
                  {item.label}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <main id="main" className="page page-wide">
        {props.children}
      </main>
    </>
  );
}
