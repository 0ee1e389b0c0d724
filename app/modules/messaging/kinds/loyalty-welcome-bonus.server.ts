import { welcomeBonusEmail } from "./shopper.server";

/** A welcome bonus granted on its own, after enrollment (enrollment sends the card and its bonus in one email). */
export const loyaltyWelcomeBonus = welcomeBonusEmail("loyalty_welcome_bonus");
