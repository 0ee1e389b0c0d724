import type { EmailTemplateKey } from "~/modules/outbox/kinds";
import type { EmailKindRendering } from "./email-content.server";
import { loyaltyCardLink } from "./kinds/loyalty-card-link.server";
import { loyaltyEnrollment, loyaltyEnrollmentWithBonus } from "./kinds/loyalty-enrollment.server";
import { loyaltyPointsExpiring } from "./kinds/loyalty-points-expiring.server";
import { loyaltyRewardReady } from "./kinds/loyalty-reward-ready.server";
import { loyaltyWelcomeBonus } from "./kinds/loyalty-welcome-bonus.server";
import { passwordReset } from "./kinds/password-reset.server";
import { smtpTest } from "./kinds/smtp-test.server";
import { staffInvitation } from "./kinds/staff-invitation.server";

/** How each kind of email is rendered: a kind of `emailKinds` without one here fails the type check. */
export const emailKindRenderings = {
  loyalty_enrollment: loyaltyEnrollment,
  loyalty_enrollment_with_bonus: loyaltyEnrollmentWithBonus,
  loyalty_welcome_bonus: loyaltyWelcomeBonus,
  loyalty_reward_ready: loyaltyRewardReady,
  loyalty_points_expiring: loyaltyPointsExpiring,
  loyalty_card_link: loyaltyCardLink,
  password_reset: passwordReset,
  staff_invitation: staffInvitation,
  smtp_test: smtpTest,
} satisfies { [K in EmailTemplateKey]: EmailKindRendering<K> };

/** One kind's rendering, for code that holds a key only known at run time. */
export function emailKindRendering(key: EmailTemplateKey): EmailKindRendering<EmailTemplateKey> {
  return emailKindRenderings[key] as unknown as EmailKindRendering<EmailTemplateKey>;
}
