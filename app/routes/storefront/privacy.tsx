import { useTranslation } from "react-i18next";
import { unknownHost } from "~/errors";
import type { RouteHandle } from "~/http/route-handle";
import type { Route } from "./+types/privacy";

/** Renders from its loader data alone: one rendering per store, language and data (ADR 036). */
export const handle = { renderMemo: true } satisfies RouteHandle;

/** The platform's default privacy notice, shown by the join page when the merchant set none. */
export function loader({ context }: Route.LoaderArgs) {
  const { tenant } = context;
  if (tenant.kind === "unknown") throw unknownHost();
  return { merchant: tenant.kind === "store" ? tenant.merchant.name : null };
}

export default function Privacy({ loaderData }: Route.ComponentProps) {
  const { t } = useTranslation("storefront");
  const sections = [
    ["dataHeading", "data"],
    ["purposeHeading", "purpose"],
    ["retentionHeading", "retention"],
    ["rightsHeading", "rights"],
  ] as const;
  return (
    <main id="main" className="page">
      <title>{t("privacy.title")}</title>
      <h1>{t("privacy.title")}</h1>
      <p>
        {loaderData.merchant
          ? t("privacy.controllerStore", { merchant: loaderData.merchant })
          : t("privacy.controllerPlatform")}
      </p>
      {sections.map(([heading, body]) => (
        <section key={heading}>
          <h2>{t(`privacy.${heading}`)}</h2>
          <p>{t(`privacy.${body}`)}</p>
        </section>
      ))}
    </main>
  );
}
