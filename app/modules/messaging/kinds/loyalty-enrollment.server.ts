import { welcomeBonusEmail } from "./shopper.server";

/** Sent on enrollment: the new card with its QR code, and the welcome bonus it starts with. */
export const loyaltyEnrollment = welcomeBonusEmail("loyalty_enrollment");
