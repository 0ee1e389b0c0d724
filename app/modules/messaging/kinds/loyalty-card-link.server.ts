import { eq } from "drizzle-orm";
import { stores } from "~/modules/tenancy/schema";
import type { EmailKindRendering } from "../email-content.server";
import { loadShopper, sampleShopperContent, shopperContent } from "./shopper.server";

/**
 * "Find my card", or enrolling again with an address that has a card: the link to it and its QR
 * code, and where the shopper joined (the address may be asked again at a sister store).
 */
export const loyaltyCardLink: EmailKindRendering<"loyalty_card_link"> = {
  async load(db, email, context) {
    const shopper = await loadShopper(db, email, context);
    const [joined] = await db
      .select({ name: stores.name })
      .from(stores)
      .where(eq(stores.id, shopper.card.enrolledStoreId));
    return shopperContent(
      { ...shopper, kind: email.templateKey },
      { joinedAt: joined?.name ?? shopper.store.name },
      context,
    );
  },
  sample: (locale, context) =>
    sampleShopperContent("loyalty_card_link", locale, context, (t) => ({ joinedAt: t("email:sample.store") })),
};
