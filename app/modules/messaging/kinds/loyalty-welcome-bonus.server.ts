import type { EmailKindRendering } from "../email-content.server";
import { amount } from "../email-content.server";
import { loadShopper, sampleShopperContent, shopperContent } from "./shopper.server";

/** Sent on enrollment when the program gives a welcome bonus. */
export const loyaltyWelcomeBonus: EmailKindRendering<"loyalty_welcome_bonus"> = {
  async load(db, email, context) {
    const shopper = await loadShopper(db, email, context);
    return shopperContent(
      { ...shopper, kind: email.templateKey },
      { bonus: amount(shopper.t, shopper.program.kind, shopper.program.welcomeBonus) },
      context,
    );
  },
  sample: (locale, context) =>
    sampleShopperContent("loyalty_welcome_bonus", locale, context, (t) => ({ bonus: amount(t, "points", 50) })),
};
