import { and, eq } from "drizzle-orm";
import { translatedName } from "~/modules/loyalty/programs.server";
import { loyaltyRewards } from "~/modules/loyalty/schema";
import { amount, type EmailKindRendering, UnrenderableEmailError } from "../email-content.server";
import { loadShopper, sampleShopperContent, shopperContent } from "./shopper.server";

/** Sent when a card's balance reaches a reward of its program (params: the reward). */
export const loyaltyRewardReady: EmailKindRendering<"loyalty_reward_ready"> = {
  async load(db, email, context) {
    const shopper = await loadShopper(db, email, context);
    const [reward] = await db
      .select()
      .from(loyaltyRewards)
      .where(and(eq(loyaltyRewards.id, email.params.rewardId), eq(loyaltyRewards.programId, shopper.program.id)));
    if (!reward) throw new UnrenderableEmailError(`email ${email.id}: reward ${email.params.rewardId} not found`);
    return shopperContent(
      { ...shopper, kind: email.templateKey },
      {
        reward: translatedName(reward, email.locale),
        rewardCost: amount(shopper.t, shopper.program.kind, reward.cost),
      },
      context,
    );
  },
  sample: (locale, context) =>
    sampleShopperContent("loyalty_reward_ready", locale, context, (t) => ({
      reward: t("email:sample.reward"),
      rewardCost: amount(t, "points", 100),
    })),
};
