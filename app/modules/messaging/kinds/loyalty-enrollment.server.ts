import { welcomeBonusEmail } from "./shopper.server";

/** Sent on enrollment in a program without a welcome bonus: the new card with its QR code. */
export const loyaltyEnrollment = welcomeBonusEmail("loyalty_enrollment");

/** Sent on enrollment in a program with a welcome bonus: the card and the bonus on it, in one email (ADR 030). */
export const loyaltyEnrollmentWithBonus = welcomeBonusEmail("loyalty_enrollment_with_bonus");
