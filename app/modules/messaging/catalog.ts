import type { EmailTemplateKey } from "./schema";

const shopper = ["firstName", "lastName", "store", "program", "cardNumber", "cardUrl", "balance"] as const;

/**
 * What each email is about and the placeholders its copy may use. The renderer provides exactly
 * these values; the editor refuses any other name, so a saved template never shows `{{…}}`.
 */
export const templateCatalog = {
  loyalty_enrollment: { audience: "shopper", placeholders: [...shopper, "bonus"] },
  loyalty_welcome_bonus: { audience: "shopper", placeholders: [...shopper, "bonus"] },
  loyalty_reward_ready: { audience: "shopper", placeholders: [...shopper, "reward", "rewardCost"] },
  loyalty_points_expiring: { audience: "shopper", placeholders: [...shopper, "expiringPoints", "expiryDate"] },
  loyalty_card_link: { audience: "shopper", placeholders: [...shopper] },
  password_reset: { audience: "staff", placeholders: ["name", "link", "hours"] },
  staff_invitation: { audience: "staff", placeholders: ["name", "link", "scope", "days"] },
  smtp_test: { audience: "staff", placeholders: ["name", "host", "port", "security", "user", "from"] },
} as const satisfies Record<EmailTemplateKey, { audience: "shopper" | "staff"; placeholders: readonly string[] }>;

export type TemplatePlaceholder<K extends EmailTemplateKey> = (typeof templateCatalog)[K]["placeholders"][number];

/** The words of one email in one language, as stored in email_templates. */
export interface TemplateCopy {
  subject: string;
  preheader: string;
  body: string;
}
