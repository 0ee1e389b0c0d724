import { welcomeBonusEmail } from "./shopper.server";

/** Sent on enrollment when the program gives a welcome bonus. */
export const loyaltyWelcomeBonus = welcomeBonusEmail("loyalty_welcome_bonus");
