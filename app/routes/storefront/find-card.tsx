import { parseWithZod } from "@conform-to/zod/v4";
import { useTranslation } from "react-i18next";
import { data } from "react-router";
import { readForm } from "~/http/form.server";
import { refuseOverAddressLimit } from "~/http/rate-limit.server";
import type { RouteHandle } from "~/http/route-handle";
import { cardByEmail } from "~/modules/loyalty/cards.server";
import { queueEmail } from "~/modules/outbox/queue.server";
import { EmailLinkPage } from "~/ui/email-link-page";
import type { Route } from "./+types/find-card";
import { findCardSchema } from "./find-card-schema";
import { requireStorefront } from "./storefront.server";

/** Renders from its loader data alone: one rendering per store, language and data (ADR 036). */
export const handle = { renderMemo: true } satisfies RouteHandle;

export async function loader({ context }: Route.LoaderArgs) {
  const { store } = requireStorefront(context);
  return { storeName: store.name };
}

/** Lets the action's Retry-After reach the browser on a 429. */
export function headers({ actionHeaders }: Route.HeadersArgs) {
  return actionHeaders;
}

export async function action({ request, context }: Route.ActionArgs) {
  const { store, merchant } = requireStorefront(context);
  const submission = parseWithZod(await readForm(request), { schema: findCardSchema });
  if (submission.status !== "success") return data({ result: submission.reply(), outcome: null }, { status: 400 });
  const refused = await refuseOverAddressLimit(context, "findCard", {
    result: submission.reply(),
    outcome: "rateLimited" as const,
  });
  if (refused) return refused;
  // Same answer whether or not the address has a card: the link only ever goes to the mailbox.
  await context.db.transaction(async (tx) => {
    const found = await cardByEmail(tx, merchant.id, submission.value.email);
    if (!found) return;
    await queueEmail(tx, {
      kind: "loyalty_card_link",
      locale: context.locale,
      recipient: found.email,
      merchantId: merchant.id,
      storeId: store.id,
      customerId: found.customerId,
      cardId: found.cardId,
    });
  });
  return { result: submission.reply({ resetForm: true }), outcome: "sent" as const };
}

export default function FindCard({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation("storefront");
  return (
    <EmailLinkPage
      id="find-card"
      schema={findCardSchema}
      namespace="storefront"
      actionData={actionData}
      copy={{
        title: t("findCard.title", { store: loaderData.storeName }),
        intro: t("findCard.intro"),
        email: t("findCard.email"),
        submit: t("findCard.submit"),
        sent: t("findCard.sent"),
        rateLimited: t("findCard.rateLimited"),
      }}
      email={{ autoComplete: "email", inputMode: "email" }}
    />
  );
}
