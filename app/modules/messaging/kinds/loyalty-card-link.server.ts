import type { EmailKindRendering } from "../email-content.server";
import { loadShopper, sampleShopperContent, shopperContent } from "./shopper.server";

/** "Find my card", or enrolling again with an address that has a card: the link to it and its QR code. */
export const loyaltyCardLink: EmailKindRendering<"loyalty_card_link"> = {
  async load(db, email, context) {
    const shopper = await loadShopper(db, email, context);
    return shopperContent({ ...shopper, kind: email.templateKey }, {}, context);
  },
  sample: (locale, context) => sampleShopperContent("loyalty_card_link", locale, context, () => ({})),
};
