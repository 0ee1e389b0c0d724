import { and, eq, sql } from "drizzle-orm";
import type { Database, Executor } from "~/db/client.server";
import type { Locale } from "~/i18n/locales";
import { recordAudit } from "~/modules/audit/audit.server";
import { merchants } from "~/modules/tenancy/schema";
import { hashPassword } from "./password.server";
import { type Role, users } from "./schema";

export interface NewUser {
  email: string;
  name: string;
  password: string | null;
  role: Role;
  merchantId?: string | null;
  storeId?: string | null;
  preferredLanguage?: Locale;
}

export async function createUser(db: Executor, user: NewUser) {
  const [row] = await db
    .insert(users)
    .values({
      email: user.email,
      name: user.name,
      passwordHash: user.password ? await hashPassword(user.password) : null,
      role: user.role,
      merchantId: user.merchantId ?? null,
      storeId: user.storeId ?? null,
      preferredLanguage: user.preferredLanguage ?? "en",
    })
    .returning();
  if (!row) throw new Error("user insert returned no row");
  return row;
}

/** Production's first platform admin, from ADMIN_EMAIL / ADMIN_PASSWORD, when no admin exists yet. */
export async function ensureFirstAdmin(db: Database, email: string, password: string): Promise<boolean> {
  const [existing] = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.role, "platform_admin"), eq(users.active, true)))
    .limit(1);
  if (existing) return false;
  await db.transaction(async (tx) => {
    const admin = await createUser(tx, { email, name: "Platform admin", password, role: "platform_admin" });
    await recordAudit(tx, null, { action: "user.bootstrap_admin", entityType: "user", entityId: admin.id });
  });
  return true;
}

export const demoStaff = {
  admin: { email: "admin@rewardflow.localhost", password: "rewardflow-admin", name: "Platform Admin" },
  owner: { email: "owner@fashiongroup.localhost", password: "fashion-owner", name: "Claire Hoffmann" },
} as const;

/** Development accounts with known credentials (printed in the boot log). Idempotent. */
export async function seedDemoStaff(db: Database): Promise<void> {
  const [fashion] = await db.select().from(merchants).where(eq(merchants.slug, "fashion-group"));
  const wanted: NewUser[] = [
    { ...demoStaff.admin, role: "platform_admin", preferredLanguage: "en" },
    ...(fashion
      ? [
          {
            ...demoStaff.owner,
            role: "merchant_owner" as const,
            merchantId: fashion.id,
            preferredLanguage: "fr" as const,
          },
        ]
      : []),
  ];
  for (const user of wanted) {
    const [existing] = await db
      .select({ id: users.id })
      .from(users)
      .where(sql`lower(${users.email}) = lower(${user.email})`);
    if (!existing) await createUser(db, user);
  }
}

export async function saveLanguagePreference(db: Executor, userId: string, locale: Locale): Promise<void> {
  await db.update(users).set({ preferredLanguage: locale }).where(eq(users.id, userId));
}
