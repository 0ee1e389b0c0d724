import { useTranslation } from "react-i18next";
import { notFound } from "~/errors";
import type { RouteHandle } from "~/http/route-handle";
import { formatDate, formatSigned } from "~/i18n/format";
import { formatCardNumber } from "~/modules/loyalty/card-number";
import { publicCardByToken } from "~/modules/loyalty/cards.server";
import { pointsExpiryOf } from "~/modules/loyalty/points-expiry";
import { programBalance, translatedName } from "~/modules/loyalty/programs.server";
import { cardQrSvg } from "~/modules/loyalty/qr.server";
import { effectiveWalletConfig, isWalletReady } from "~/modules/wallet/wallet-config.server";
import type { Route } from "./+types/card";
import { CardSummary } from "./card-summary";
import { GoogleWalletButton } from "./google-wallet-button";
import { requireStorefront } from "./storefront.server";

/** The token in the path is the card's key: never cached, never logged. */
export const handle = { private: true, secretParams: ["token"] } satisfies RouteHandle;

export async function loader({ params, context, request }: Route.LoaderArgs) {
  const { store, merchant } = requireStorefront(context);
  const { locale } = context;
  const detail = await publicCardByToken(context.db, merchant.id, params.token);
  if (!detail) throw notFound();
  const balance = programBalance(detail.program, detail.card);
  const timeZone = store.timezone;
  const wallet = await effectiveWalletConfig(context.db, context.config);
  return {
    walletHref: isWalletReady(wallet) ? `/loyalty/card/${params.token}/google-wallet` : null,
    walletUnavailable: new URL(request.url).searchParams.get("wallet") === "unavailable",
    storeName: store.name,
    onlineOnly: store.onlineOnly,
    programName: translatedName(detail.program, locale),
    memberSince: formatDate(locale, detail.card.createdAt, { timeZone }),
    card: {
      cardNumber: formatCardNumber(detail.card.cardNumber),
      balance,
      unit: detail.program.kind,
      qrSvg: await cardQrSvg(detail.card.cardNumber),
      stampsPerCard: detail.program.kind === "stamps" ? detail.program.stampsPerCard : undefined,
      pointsExpiry: pointsExpiryOf(detail.program),
    },
    rewards: detail.rewards.map((reward) => ({
      id: reward.id,
      name: translatedName(reward, locale),
      cost: reward.cost,
      progress: Math.min(balance, reward.cost),
      ready: balance >= reward.cost,
    })),
    // A counter enrollment moves no balance: the shopper's history shows what changed it.
    history: detail.history
      .filter((entry) => entry.type !== "enroll")
      .map((entry) => ({
        id: entry.id,
        type: entry.type,
        date: formatDate(locale, entry.createdAt, { timeZone, withTime: true }),
        change: formatSigned(locale, detail.program.kind === "points" ? entry.pointsDelta : entry.stampsDelta),
        storeName: entry.storeName,
      })),
  };
}

export default function Card({ loaderData }: Route.ComponentProps) {
  const { t } = useTranslation(["storefront", "common"]);
  const { card } = loaderData;
  return (
    <main id="main" className="page">
      <title>{t("card.title", { store: loaderData.storeName })}</title>
      <h1>{t("card.heading")}</h1>
      <p className="muted">
        {loaderData.programName} · {t("card.memberSince", { date: loaderData.memberSince })}
      </p>
      <CardSummary card={card} />
      <p className="muted">{t(loaderData.onlineOnly ? "onlineOnly.qrHint" : "card.qrHint")}</p>
      {loaderData.walletUnavailable ? (
        <p className="alert-warning" role="status">
          {t("wallet.unavailable")}
        </p>
      ) : null}
      {loaderData.walletHref ? (
        <p>
          <GoogleWalletButton href={loaderData.walletHref} />
        </p>
      ) : null}
      {loaderData.rewards.length > 0 ? (
        <section aria-labelledby="rewards">
          <h2 id="rewards">{t("card.rewardsHeading")}</h2>
          <ul className="reward-progress">
            {loaderData.rewards.map((reward) => (
              <li key={reward.id}>
                <div className="reward-line">
                  <span id={`reward-${reward.id}`}>{reward.name}</span>
                  <span>
                    {t(`common:rewardProgress.${card.unit}`, { current: reward.progress, count: reward.cost })}
                  </span>
                </div>
                {card.unit === "points" ? (
                  <progress max={reward.cost} value={reward.progress} aria-labelledby={`reward-${reward.id}`} />
                ) : null}
                <p className={reward.ready ? "reward-ready" : "muted"}>
                  {reward.ready
                    ? t(loaderData.onlineOnly ? "onlineOnly.rewardReady" : "card.rewardReady")
                    : t("card.rewardMissing", {
                        missing: t(`common:units.${card.unit}`, { count: reward.cost - reward.progress }),
                      })}
                </p>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <section aria-labelledby="history">
        <h2 id="history">{t("card.historyHeading")}</h2>
        {loaderData.history.length === 0 ? (
          <p>{t("card.historyEmpty")}</p>
        ) : (
          <ol className="history">
            {loaderData.history.map((entry) => (
              <li key={entry.id}>
                <div className="history-line">
                  <span>{t(`common:transactionTypes.${entry.type}`)}</span>
                  <span className="history-change">{entry.change}</span>
                </div>
                <p className="muted">
                  {entry.date} · {entry.storeName}
                </p>
              </li>
            ))}
          </ol>
        )}
      </section>
    </main>
  );
}
