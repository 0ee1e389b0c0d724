import { amount, type EmailKindRendering } from "../email-content.server";
import { loadShopper, longDate, sampleShopperContent, shopperContent } from "./shopper.server";

/** A reminder that points lapse soon (params: how many, and on which day); customers can turn reminders off. */
export const loyaltyPointsExpiring: EmailKindRendering<"loyalty_points_expiring"> = {
  async load(db, email, context) {
    const shopper = await loadShopper(db, email, context);
    return shopperContent(
      { ...shopper, kind: email.templateKey },
      {
        expiringPoints: amount(shopper.t, "points", email.params.expiringPoints),
        expiryDate: longDate(email.locale, new Date(`${email.params.expiresOn}T00:00:00Z`), "UTC"),
      },
      context,
    );
  },
  sample: (locale, context) =>
    sampleShopperContent("loyalty_points_expiring", locale, context, (t) => ({
      expiringPoints: amount(t, "points", 40),
      expiryDate: longDate(locale, new Date()),
    })),
};
