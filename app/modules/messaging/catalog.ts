import type { Vocabulary } from "./markup";
import type { EmailTemplateKey } from "./schema";

const shopper = ["firstName", "lastName", "store", "program", "cardNumber", "cardUrl", "balance"] as const;

/**
 * What each email is about and the placeholders its copy may use. The renderer provides exactly
 * these values; the editor refuses any other name, so a saved template never shows `{{…}}`.
 */
export const templateCatalog = {
  loyalty_enrollment: { audience: "shopper", waitedFor: true, placeholders: [...shopper, "bonus"] },
  loyalty_welcome_bonus: { audience: "shopper", waitedFor: false, placeholders: [...shopper, "bonus"] },
  loyalty_reward_ready: { audience: "shopper", waitedFor: false, placeholders: [...shopper, "reward", "rewardCost"] },
  loyalty_points_expiring: {
    audience: "shopper",
    waitedFor: false,
    placeholders: [...shopper, "expiringPoints", "expiryDate"],
  },
  loyalty_card_link: { audience: "shopper", waitedFor: true, placeholders: [...shopper] },
  password_reset: { audience: "staff", waitedFor: true, placeholders: ["name", "link", "hours"] },
  staff_invitation: { audience: "staff", waitedFor: true, placeholders: ["name", "link", "scope", "days"] },
  smtp_test: { audience: "staff", waitedFor: true, placeholders: ["name", "host", "port", "security", "user", "from"] },
} as const satisfies Record<
  EmailTemplateKey,
  {
    audience: "shopper" | "staff";
    /** Someone is looking at a screen waiting for it (a card, a link): it goes ahead of notices and reminders. */
    waitedFor: boolean;
    placeholders: readonly string[];
  }
>;

/** The words of one email in one language, as stored in email_templates. */
export interface TemplateCopy {
  subject: string;
  preheader: string;
  body: string;
}

/** Job priority (lower runs first): a burst of notices or reminders never holds back an email someone waits for. */
export function emailJobPriority(key: EmailTemplateKey): number {
  return templateCatalog[key].waitedFor ? 0 : 1;
}

/** Placeholders that hold URLs the system makes: the only ones a link may point to, and only in the body. */
const urlPlaceholders: readonly string[] = ["cardUrl", "link"];

/**
 * What each field of a key's copy may use. Subject and preheader get no URL (a one-time link would
 * otherwise sit in the subject, which the log keeps); links in the body point to system URLs only.
 */
export function templateVocabulary(key: EmailTemplateKey): { plain: Vocabulary; body: Vocabulary } {
  const placeholders: readonly string[] = templateCatalog[key].placeholders;
  return {
    plain: { placeholders: placeholders.filter((name) => !urlPlaceholders.includes(name)) },
    body: { placeholders, linkTargets: placeholders.filter((name) => urlPlaceholders.includes(name)) },
  };
}
