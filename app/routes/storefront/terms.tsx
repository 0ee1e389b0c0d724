import { useTranslation } from "react-i18next";
import { unknownHost } from "~/errors";
import type { RouteHandle } from "~/http/route-handle";
import { translatedName } from "~/modules/loyalty/programs.server";
import type { Route } from "./+types/terms";
import { storefrontShell } from "./storefront.server";

/** Renders from its loader data alone: one rendering per store, language and data (ADR 036). */
export const handle = { renderMemo: true } satisfies RouteHandle;

/** The platform's default terms of a loyalty program, linked by the join page when the program sets none. */
export async function loader({ context }: Route.LoaderArgs) {
  const { tenant, locale } = context;
  if (tenant.kind === "unknown") throw unknownHost();
  if (tenant.kind === "platform") return { merchant: null, program: null, privacyUrl: "/privacy" };
  const { merchant, program } = storefrontShell(context);
  return {
    merchant: merchant.name,
    program: program ? translatedName(program, locale) : null,
    privacyUrl: merchant.privacyUrl ?? "/privacy",
  };
}

const sections = ["joining", "collecting", "rewards", "expiry", "card", "changes"] as const;

export default function Terms({ loaderData }: Route.ComponentProps) {
  const { t } = useTranslation("storefront");
  const { merchant, program } = loaderData;
  return (
    <main id="main" className="page page-narrow">
      <title>{t("terms.title")}</title>
      <h1>{t("terms.title")}</h1>
      <p>
        {merchant && program
          ? t("terms.operatorStore", { merchant, program })
          : merchant
            ? t("terms.operatorMerchant", { merchant })
            : t("terms.operatorPlatform")}
      </p>
      {sections.map((section) => (
        <section key={section}>
          <h2>{t(`terms.${section}Heading`)}</h2>
          <p>{t(`terms.${section}`)}</p>
        </section>
      ))}
      <section>
        <h2>{t("terms.dataHeading")}</h2>
        <p>
          {t("terms.data")} <a href={loaderData.privacyUrl}>{t("terms.privacyLink")}</a>
        </p>
      </section>
    </main>
  );
}
