import { redirect } from "react-router";
import { notFound } from "~/errors";
import type { RouteHandle } from "~/http/route-handle";
import { publicCardByToken } from "~/modules/loyalty/cards.server";
import { WalletApiError } from "~/modules/wallet/google-api.server";
import { walletSaveUrl } from "~/modules/wallet/passes.server";
import { effectiveWalletConfig, isWalletReady } from "~/modules/wallet/wallet-config.server";
import type { Route } from "./+types/google-wallet";
import { requireStorefront } from "./storefront.server";

/** The token in the path is the card's key: never cached, never logged. */
export const handle = { private: true, secretParams: ["token"] } satisfies RouteHandle;

/**
 * "Add to Google Wallet": the save link is made when the shopper asks for it, so a link in an
 * old email still saves today's balance, and a page never waits for Google to render.
 */
export async function loader({ params, context }: Route.LoaderArgs) {
  const { merchant } = requireStorefront(context);
  const detail = await publicCardByToken(context.db, merchant.id, params.token);
  if (!detail) throw notFound();
  const wallet = await effectiveWalletConfig(context.db, context.config);
  if (!isWalletReady(wallet)) throw notFound();
  try {
    const link = await walletSaveUrl(context.db, wallet, context.config.platformOrigin, detail.card.id);
    if (!link) throw notFound();
    return redirect(link.url, 303);
  } catch (error) {
    if (!(error instanceof WalletApiError)) throw error;
    context.logger.warn({ err: error }, "Google Wallet save link could not be made");
    return redirect(`/loyalty/card/${params.token}?wallet=unavailable`, 303);
  }
}
