import { render, toPlainText } from "@react-email/render";
import { eq } from "drizzle-orm";
import type { Executor } from "~/db/client.server";
import { serverI18n } from "~/i18n/resources.server";
import { users } from "~/modules/auth/schema";
import { issueUserToken, tokenLifetimeHours } from "~/modules/auth/tokens.server";
import { merchants, stores } from "~/modules/tenancy/schema";
import { StaffEmail } from "../../../emails/staff";
import type { RenderedEmail } from "./render.server";
import type { emailLogs } from "./schema";

type EmailLog = typeof emailLogs.$inferSelect;

/**
 * Password reset and invitation emails. The one-time link is made here, at send time; the copy
 * kept in email_logs for the admin viewer has the link redacted.
 */
export async function renderStaffEmail(db: Executor, log: EmailLog, platformOrigin: string): Promise<RenderedEmail> {
  if (!log.userId) throw new Error(`email ${log.id} (${log.templateKey}) has no user`);
  const [user] = await db.select().from(users).where(eq(users.id, log.userId));
  if (!user) throw new Error(`email ${log.id}: user ${log.userId} not found`);
  const { t } = serverI18n(log.locale);
  const purpose = log.templateKey === "password_reset" ? "password_reset" : "invitation";
  const token = await issueUserToken(db, user.id, purpose);
  const link = `${platformOrigin}/reset-password?token=${token}&lang=${log.locale}`;
  const greeting = t("email:greeting", { firstName: user.name });
  let subject: string;
  let element: ReturnType<typeof StaffEmail>;
  if (log.templateKey === "password_reset") {
    subject = t("email:passwordReset.subject");
    element = StaffEmail({
      lang: log.locale,
      preheader: t("email:passwordReset.preheader"),
      footer: t("email:staffFooter"),
      greeting,
      paragraphs: [
        t("email:passwordReset.body", { hours: tokenLifetimeHours.password_reset }),
        t("email:passwordReset.ignore"),
      ],
      action: { url: link, label: t("email:passwordReset.button") },
    });
  } else if (log.templateKey === "staff_invitation") {
    const scope = await scopeName(db, user);
    subject = t("email:staffInvitation.subject");
    element = StaffEmail({
      lang: log.locale,
      preheader: t("email:staffInvitation.preheader"),
      footer: t("email:staffFooter"),
      greeting,
      paragraphs: [t("email:staffInvitation.body", { scope, days: tokenLifetimeHours.invitation / 24 })],
      action: { url: link, label: t("email:staffInvitation.button") },
    });
  } else {
    throw new Error(`email ${log.id}: no staff renderer for ${log.templateKey}`);
  }
  const html = await render(element);
  const text = toPlainText(html);
  const redact = (content: string) => content.split(token).join("[redacted]");
  return { subject, html, text, attachments: [], stored: { html: redact(html), text: redact(text) } };
}

async function scopeName(db: Executor, user: typeof users.$inferSelect): Promise<string> {
  if (user.storeId) {
    const [store] = await db.select({ name: stores.name }).from(stores).where(eq(stores.id, user.storeId));
    return store?.name ?? "RewardFlow";
  }
  if (user.merchantId) {
    const [merchant] = await db
      .select({ name: merchants.name })
      .from(merchants)
      .where(eq(merchants.id, user.merchantId));
    return merchant?.name ?? "RewardFlow";
  }
  return "RewardFlow";
}
