import type { EmailTemplateKey, TemplateCopy } from "~/modules/outbox/kinds";

/** English copy seeded into email_templates; admins edit the stored rows, not this file. */
export const en: Record<EmailTemplateKey, TemplateCopy> = {
  loyalty_enrollment: {
    subject: "Welcome to {{program}}: your {{store}} card is ready",
    preheader: "Your loyalty card {{cardNumber}} is ready to use.",
    body: `Hello {{firstName}},

Thank you for joining **{{program}}** at {{store}}. Your loyalty card is ready: each time you shop, show the QR code below or give your card number, and your rewards add up.

Your card number is **{{cardNumber}}**. You can open your card at any time: [view my card]({{cardUrl}}).`,
  },
  loyalty_welcome_bonus: {
    subject: "Your welcome gift from {{store}}",
    preheader: "{{bonus}} are waiting on your card.",
    body: `Hello {{firstName}},

As a thank-you for joining {{program}}, we have added **{{bonus}}** to your card.

Your balance is now {{balance}}. See you soon at {{store}}!`,
  },
  loyalty_enrollment_with_bonus: {
    subject: "Welcome to {{program}}: your {{store}} card is ready, with {{bonus}} on it",
    preheader: "Your loyalty card {{cardNumber}} is ready, with a welcome gift of {{bonus}}.",
    body: `Hello {{firstName}},

Thank you for joining **{{program}}** at {{store}}. Your loyalty card is ready, and as a welcome gift we have already added **{{bonus}}** to it: your balance is {{balance}}.

Each time you shop, show the QR code below or give your card number, and your rewards add up. Your card number is **{{cardNumber}}**. You can open your card at any time: [view my card]({{cardUrl}}).`,
  },
  loyalty_reward_ready: {
    subject: "A reward is waiting for you at {{store}}",
    preheader: "You have enough for {{reward}}.",
    body: `Hello {{firstName}},

Good news: with {{balance}} on your card, you can now treat yourself to **{{reward}}** ({{rewardCost}}).

Just show your card or give its number the next time you shop at {{store}}.`,
  },
  loyalty_points_expiring: {
    subject: "{{expiringPoints}} on your {{store}} card expire soon",
    preheader: "Use them before {{expiryDate}}.",
    body: `Hello {{firstName}},

**{{expiringPoints}}** on your {{program}} card will expire on {{expiryDate}}. Your current balance is {{balance}}.

Drop by {{store}} before then to use them: [see my card and rewards]({{cardUrl}}).`,
  },
  loyalty_card_link: {
    subject: "Your {{store}} loyalty card",
    preheader: "Here is the link to your {{program}} card.",
    body: `Hello {{firstName}},

You asked for your {{program}} loyalty card, which you joined at {{joinedAt}}. Open it with the button below; when you shop, show its QR code or give its number.

Your card number is **{{cardNumber}}** and your balance is {{balance}}.`,
  },
  password_reset: {
    subject: "Reset your RewardFlow password",
    preheader: "A link to choose a new password.",
    body: `Hello {{name}},

Someone asked to reset the password of your RewardFlow account. If it was you, choose a new password with the button below. The link works once and expires in {{hours}}.

If you did not ask for this, you can ignore this email: your password stays as it is.`,
  },
  staff_invitation: {
    subject: "You are invited to RewardFlow",
    preheader: "Choose your password to get started.",
    body: `Hello {{name}},

An account has been created for you on RewardFlow ({{scope}}). Choose your password with the button below to sign in. The link works once and expires in {{days}}.`,
  },
  smtp_test: {
    subject: "RewardFlow test email via {{host}}",
    preheader: "Your email settings work.",
    body: `Hello {{name}},

This test email was sent by RewardFlow through **{{host}}:{{port}}** ({{security}}) as {{from}}. If you are reading it, outgoing email works.

The settings that were actually used, and where each one came from, are listed below.`,
  },
};
