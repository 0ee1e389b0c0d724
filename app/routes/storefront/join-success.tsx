import { useTranslation } from "react-i18next";
import { redirect } from "react-router";
import { notFound } from "~/errors";
import type { RouteHandle } from "~/http/route-handle";
import { formatCardNumber } from "~/modules/loyalty/card-number";
import { publicCardByToken } from "~/modules/loyalty/cards.server";
import { programBalance } from "~/modules/loyalty/programs.server";
import { cardQrSvg } from "~/modules/loyalty/qr.server";
import { effectiveWalletConfig, isWalletReady } from "~/modules/wallet/wallet-config.server";
import type { Route } from "./+types/join-success";
import { CardSummary } from "./card-summary";
import { GoogleWalletButton } from "./google-wallet-button";
import { requireStorefront } from "./storefront.server";

/** Shows the new card: never cached. */
export const handle = { private: true } satisfies RouteHandle;

export async function loader({ request, context }: Route.LoaderArgs) {
  const { store, merchant } = requireStorefront(context);
  const url = new URL(request.url);
  if (url.searchParams.get("existing") === "1") return { kind: "existing" as const, storeName: store.name };
  const token = url.searchParams.get("card");
  if (!token) throw redirect("/loyalty/join");
  const detail = await publicCardByToken(context.db, merchant.id, token);
  if (!detail) throw notFound();
  const wallet = await effectiveWalletConfig(context.db, context.config);
  return {
    kind: "enrolled" as const,
    storeName: store.name,
    token,
    walletHref: isWalletReady(wallet) ? `/loyalty/card/${token}/google-wallet` : null,
    card: {
      cardNumber: formatCardNumber(detail.card.cardNumber),
      balance: programBalance(detail.program, detail.card),
      unit: detail.program.kind,
      qrSvg: await cardQrSvg(detail.card.cardNumber),
      stampsPerCard: detail.program.kind === "stamps" ? detail.program.stampsPerCard : undefined,
    },
  };
}

export default function JoinSuccess({ loaderData }: Route.ComponentProps) {
  const { t } = useTranslation("storefront");
  const title = t("success.title", { store: loaderData.storeName });
  if (loaderData.kind === "existing") {
    return (
      <main id="main" className="page page-narrow">
        <title>{title}</title>
        <h1>{t("success.existingTitle")}</h1>
        <p role="status">{t("success.existingBody", { store: loaderData.storeName })}</p>
      </main>
    );
  }
  return (
    <main id="main" className="page page-narrow">
      <title>{title}</title>
      <div className="panel panel-success">
        <h1>{t("success.heading")}</h1>
        <p role="status">{t("success.emailSent")}</p>
      </div>
      <CardSummary card={loaderData.card} />
      {loaderData.walletHref ? (
        <p>
          <GoogleWalletButton href={loaderData.walletHref} />
        </p>
      ) : null}
      <p>
        <a className="button button-primary" href={`/loyalty/card/${loaderData.token}`}>
          {t("success.viewCard")}
        </a>
      </p>
    </main>
  );
}
