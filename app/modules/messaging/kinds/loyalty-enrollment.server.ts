import type { EmailKindRendering } from "../email-content.server";
import { amount } from "../email-content.server";
import { loadShopper, sampleShopperContent, shopperContent } from "./shopper.server";

/** Sent on enrollment: the new card with its QR code, and the welcome bonus it starts with. */
export const loyaltyEnrollment: EmailKindRendering<"loyalty_enrollment"> = {
  async load(db, email, context) {
    const shopper = await loadShopper(db, email, context);
    return shopperContent(
      { ...shopper, kind: email.templateKey },
      { bonus: amount(shopper.t, shopper.program.kind, shopper.program.welcomeBonus) },
      context,
    );
  },
  sample: (locale, context) =>
    sampleShopperContent("loyalty_enrollment", locale, context, (t) => ({ bonus: amount(t, "points", 50) })),
};
