import { z } from "zod";

/** The words of one email in one language, as stored in email_templates (and carried by a preview). */
export const templateCopySchema = z.object({ subject: z.string(), preheader: z.string(), body: z.string() });
export type TemplateCopy = z.infer<typeof templateCopySchema>;
/** Parameters of a "send a preview" email: the copy being edited, rendered with sample data instead of records. */
export const previewParams = z.object({ preview: templateCopySchema });

/** The ids a shopper's email is about: one card, seen from the store that caused it. */
const shopperLinks = z.object({ merchantId: z.uuid(), storeId: z.uuid(), customerId: z.uuid(), cardId: z.uuid() });
/** The ids a staff email is about: the user it goes to (and their merchant, for the log). */
const staffLinks = z.object({ userId: z.uuid(), merchantId: z.uuid().nullish() });
export const emailLinks = { shopper: shopperLinks, staff: staffLinks } as const;

interface EmailKindContract {
  audience: keyof typeof emailLinks;
  /** Someone is looking at a screen waiting for it (a card, a link): it goes ahead of notices and reminders. */
  waitedFor: boolean;
  /** What the email carries beyond its linked ids; checked when queued and again when rendered. */
  params: z.ZodObject;
  /** The only `{{names}}` its copy may use; the renderer provides exactly these values. */
  placeholders: readonly string[];
  /** The card's QR code travels inline, for the counter's scanner. */
  cardQr: boolean;
  /**
   * A reminder: the customer can turn these off (one-click List-Unsubscribe, the link in the
   * footer), so it is queued with `queueReminder`, which skips customers who did.
   */
  reminder: boolean;
}

const shopper = ["firstName", "lastName", "store", "program", "cardNumber", "cardUrl", "balance"] as const;
const noParams = z.object({});

/**
 * Every email RewardFlow sends, by the key its copy and its email_logs rows carry: the facts every
 * layer needs (who it is for, how urgent, what it carries). How each one loads its data and what
 * its preview shows live beside it in `modules/messaging/kinds/`.
 */
export const emailKinds = {
  loyalty_enrollment: {
    audience: "shopper",
    waitedFor: true,
    params: noParams,
    placeholders: [...shopper, "bonus"],
    cardQr: true,
    reminder: false,
  },
  /** The welcome email of a program with a welcome bonus: the card and the bonus in one (ADR 030). */
  loyalty_enrollment_with_bonus: {
    audience: "shopper",
    waitedFor: true,
    params: noParams,
    placeholders: [...shopper, "bonus"],
    cardQr: true,
    reminder: false,
  },
  /** A welcome bonus on its own, for a bonus granted after enrollment; enrollment itself sends one email. */
  loyalty_welcome_bonus: {
    audience: "shopper",
    waitedFor: false,
    params: noParams,
    placeholders: [...shopper, "bonus"],
    cardQr: false,
    reminder: false,
  },
  loyalty_reward_ready: {
    audience: "shopper",
    waitedFor: false,
    params: z.object({ rewardId: z.uuid() }),
    placeholders: [...shopper, "reward", "rewardCost"],
    cardQr: false,
    reminder: false,
  },
  loyalty_points_expiring: {
    audience: "shopper",
    waitedFor: false,
    /** `expiresOn`: the day the points lapse, YYYY-MM-DD. */
    params: z.object({ expiringPoints: z.int().positive(), expiresOn: z.iso.date() }),
    placeholders: [...shopper, "expiringPoints", "expiryDate"],
    cardQr: false,
    reminder: true,
  },
  loyalty_card_link: {
    audience: "shopper",
    waitedFor: true,
    params: noParams,
    // joinedAt: the store where the card was enrolled, which may be a sister store of {{store}}.
    placeholders: [...shopper, "joinedAt"],
    cardQr: true,
    reminder: false,
  },
  password_reset: {
    audience: "staff",
    waitedFor: true,
    params: noParams,
    placeholders: ["name", "link", "hours"],
    cardQr: false,
    reminder: false,
  },
  staff_invitation: {
    audience: "staff",
    waitedFor: true,
    params: noParams,
    placeholders: ["name", "link", "scope", "days"],
    cardQr: false,
    reminder: false,
  },
  smtp_test: {
    audience: "staff",
    waitedFor: true,
    params: noParams,
    placeholders: ["name", "host", "port", "security", "user", "from"],
    cardQr: false,
    reminder: false,
  },
} as const satisfies Record<string, EmailKindContract>;

export type EmailTemplateKey = keyof typeof emailKinds;
export const emailTemplateKeys = Object.keys(emailKinds) as [EmailTemplateKey, ...EmailTemplateKey[]];

type Kind<K extends EmailTemplateKey> = (typeof emailKinds)[K];
export type EmailParams<K extends EmailTemplateKey> = z.output<Kind<K>["params"]>;
export type Placeholder<K extends EmailTemplateKey> = Kind<K>["placeholders"][number];
export type ReminderKind = { [K in EmailTemplateKey]: Kind<K>["reminder"] extends true ? K : never }[EmailTemplateKey];
export type NoticeKind = Exclude<EmailTemplateKey, ReminderKind>;

/** Job priority (lower runs first): a burst of notices or reminders never holds back an email someone waits for. */
export function emailJobPriority(key: EmailTemplateKey): number {
  return emailKinds[key].waitedFor ? 0 : 1;
}
