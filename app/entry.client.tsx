import { StrictMode, startTransition } from "react";
import { hydrateRoot } from "react-dom/client";
import { I18nextProvider } from "react-i18next";
import { HydratedRouter } from "react-router/dom";
import { createI18n, type Surface } from "~/i18n/i18n";
import { isLocale } from "~/i18n/locales";
import { i18nScriptId } from "~/ui/document";
import { SurfaceProvider } from "~/ui/nonce";

const payload = JSON.parse(document.getElementById(i18nScriptId)?.textContent ?? "{}");
const locale = isLocale(payload.locale) ? payload.locale : "en";
const i18n = createI18n(locale, payload.resources ?? {});
const surface: Surface =
  payload.surface === "platform" || payload.surface === "terminal" ? payload.surface : "storefront";

startTransition(() => {
  hydrateRoot(
    document,
    <StrictMode>
      <SurfaceProvider value={surface}>
        <I18nextProvider i18n={i18n}>
          <HydratedRouter />
        </I18nextProvider>
      </SurfaceProvider>
    </StrictMode>,
  );
});
