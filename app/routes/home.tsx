import { useTranslation } from "react-i18next";
import type { RouteHandle } from "~/http/route-handle";
import { activeRewards, translatedName } from "~/modules/loyalty/programs.server";
import { storeDescription, storeOrigin, storesWithLoyalty } from "~/modules/tenancy/stores.server";
import type { Route } from "./+types/home";
import { requireStorefront } from "./storefront/storefront.server";

/** Renders from its loader data alone: one rendering per store, language and data (ADR 036). */
export const handle = { renderMemo: true } satisfies RouteHandle;

export async function loader({ context }: Route.LoaderArgs) {
  const { locale, db } = context;
  if (context.tenant.kind === "platform") {
    const rows = await storesWithLoyalty(db);
    return {
      kind: "platform" as const,
      stores: rows.map((row) => ({ name: row.name, url: storeOrigin(context.config.platformOrigin, row) })),
    };
  }
  const { store, program } = requireStorefront(context);
  const rewards = await activeRewards(db, program.id);
  return {
    kind: "store" as const,
    storeName: store.name,
    description: storeDescription(store, locale),
    websiteUrl: store.websiteUrl,
    program: {
      name: translatedName(program, locale),
      kind: program.kind,
      pointsPerEuro: program.pointsPerEuro,
      welcomeBonus: program.welcomeBonus,
      termsUrl: program.termsUrl,
    },
    rewards: rewards.map((reward) => ({ id: reward.id, name: translatedName(reward, locale), cost: reward.cost })),
  };
}

export default function Home({ loaderData }: Route.ComponentProps) {
  const { t } = useTranslation(["common", "storefront"]);
  if (loaderData.kind === "platform") {
    return (
      <main id="main" className="page">
        <title>{t("platform.title")}</title>
        <h1>{t("platform.heading")}</h1>
        <p>{t("platform.intro")}</p>
        <h2>{t("platform.storesHeading")}</h2>
        <ul className="link-list">
          {loaderData.stores.map((store) => (
            <li key={store.url}>
              <a href={store.url}>{store.name}</a>
            </li>
          ))}
        </ul>
      </main>
    );
  }
  const { program, storeName } = loaderData;
  const unit = program.kind === "points" ? "points" : "stamps";
  return (
    <main id="main" className="page">
      <title>{t("storefront:home.title", { store: storeName })}</title>
      <section className="hero">
        <h1>{program.name}</h1>
        <p className="lead">{loaderData.description}</p>
        <p className="cta-row">
          <a className="button button-primary" href="/loyalty/join">
            {t("storefront:home.joinCta")}
          </a>
        </p>
        <p>
          <a href="/loyalty/card">{t("storefront:home.findCardCta")}</a>
        </p>
      </section>
      <section aria-labelledby="how-it-works">
        <h2 id="how-it-works">{t("storefront:home.howItWorks")}</h2>
        <ol className="steps">
          <li>{t("storefront:home.stepJoin")}</li>
          <li>
            {program.kind === "points"
              ? t("storefront:home.stepEarnPoints", { count: program.pointsPerEuro })
              : t("storefront:home.stepEarnStamps")}
          </li>
          <li>
            {t(program.kind === "points" ? "storefront:homeSteps.redeemPoints" : "storefront:homeSteps.redeemStamps")}
          </li>
        </ol>
        {program.welcomeBonus > 0 ? (
          <p className="bonus">
            {t(
              program.kind === "points" ? "storefront:home.welcomeBonusPoints" : "storefront:home.welcomeBonusStamps",
              {
                count: program.welcomeBonus,
              },
            )}
          </p>
        ) : null}
      </section>
      {loaderData.rewards.length > 0 ? (
        <section aria-labelledby="rewards">
          <h2 id="rewards">{t("storefront:home.rewardsHeading")}</h2>
          <ul className="reward-list">
            {loaderData.rewards.map((reward) => (
              <li key={reward.id}>
                <span>{reward.name}</span>
                <span className="reward-cost">{t(`common:units.${unit}`, { count: reward.cost })}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {loaderData.websiteUrl ? (
        <p>
          <a href={loaderData.websiteUrl} rel="noopener">
            {t("storefront:home.continueShopping")}
          </a>
        </p>
      ) : null}
    </main>
  );
}
