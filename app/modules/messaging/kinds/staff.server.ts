import { eq } from "drizzle-orm";
import type { Executor } from "~/db/client.server";
import type { Locale } from "~/i18n/locales";
import { serverI18n } from "~/i18n/resources.server";
import type { UserTokenPurpose } from "~/modules/auth/schema";
import { users } from "~/modules/auth/schema";
import { issueUserToken, tokenLifetimeHours } from "~/modules/auth/tokens.server";
import { merchants, stores } from "~/modules/tenancy/schema";
import {
  type EmailContent,
  type EmailLog,
  platformBrand,
  type RenderContext,
  type Translate,
  UnrenderableEmailError,
} from "../email-content.server";

export type StaffUser = typeof users.$inferSelect;

/** The staff user an email goes to. */
export async function loadStaffUser(db: Executor, log: Pick<EmailLog, "id" | "templateKey" | "userId">) {
  if (!log.userId) throw new UnrenderableEmailError(`email ${log.id} (${log.templateKey}) has no user`);
  const [user] = await db.select().from(users).where(eq(users.id, log.userId));
  if (!user) throw new UnrenderableEmailError(`email ${log.id}: user ${log.userId} not found`);
  return user;
}

export function staffFrame(t: Translate): EmailContent["frame"] {
  return { brand: platformBrand, footer: t("email:staffFooter") };
}

type LinkKind = "password_reset" | "staff_invitation";
const linkPurposes = {
  password_reset: { purpose: "password_reset", button: "email:passwordResetButton" },
  staff_invitation: { purpose: "invitation", button: "email:invitationButton" },
} as const satisfies Record<LinkKind, { purpose: UserTokenPurpose; button: string }>;

/** A one-time link email (reset, invitation): the link is made at send time, so it never rests in the database. */
export async function oneTimeLinkContent<K extends LinkKind>(
  db: Executor,
  kind: K,
  log: Pick<EmailLog, "id" | "templateKey" | "userId" | "locale">,
  context: RenderContext,
  values: (t: Translate, user: StaffUser, hours: number) => Promise<Omit<EmailContent<K>["values"], "name" | "link">>,
): Promise<EmailContent<K>> {
  const user = await loadStaffUser(db, log);
  const { t } = serverI18n(log.locale);
  const { purpose, button } = linkPurposes[kind];
  const token = await issueUserToken(db, user.id, purpose);
  const link = `${context.platformOrigin}/reset-password?token=${token}&lang=${log.locale}`;
  return {
    values: {
      name: user.name,
      link,
      ...(await values(t, user, tokenLifetimeHours[purpose])),
    } as EmailContent<K>["values"],
    frame: staffFrame(t),
    action: { url: link, label: t(button) },
    attachments: [],
    secrets: [token],
  };
}

/** The same email for the template preview, with a sample link and name. */
export function sampleOneTimeLinkContent<K extends LinkKind>(
  kind: K,
  locale: Locale,
  context: RenderContext,
  values: (t: Translate) => Omit<EmailContent<K>["values"], "name" | "link">,
): EmailContent<K> {
  const { t } = serverI18n(locale);
  const link = `${context.platformOrigin}/reset-password?token=sample&lang=${locale}`;
  return {
    values: { name: t("email:sample.staffName"), link, ...values(t) } as EmailContent<K>["values"],
    frame: staffFrame(t),
    action: { url: link, label: t(linkPurposes[kind].button) },
    attachments: [],
    secrets: [],
  };
}

/** Where a staff user works: their store, their merchant, or the platform. */
export async function scopeName(db: Executor, user: StaffUser): Promise<string> {
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
