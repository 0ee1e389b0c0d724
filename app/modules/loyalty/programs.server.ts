import { and, asc, eq } from "drizzle-orm";
import type { Executor } from "~/db/client.server";
import type { Locale } from "~/i18n/locales";
import { loyaltyPrograms, loyaltyRewards } from "./schema";

export type Program = typeof loyaltyPrograms.$inferSelect;
export type Reward = typeof loyaltyRewards.$inferSelect;

export async function activeProgram(db: Executor, merchantId: string): Promise<Program | null> {
  const [program] = await db
    .select()
    .from(loyaltyPrograms)
    .where(and(eq(loyaltyPrograms.merchantId, merchantId), eq(loyaltyPrograms.active, true)))
    .limit(1);
  return program ?? null;
}

export async function activeRewards(db: Executor, programId: string): Promise<Reward[]> {
  return db
    .select()
    .from(loyaltyRewards)
    .where(and(eq(loyaltyRewards.programId, programId), eq(loyaltyRewards.active, true)))
    .orderBy(asc(loyaltyRewards.cost));
}

/** A translated name: requested language → English → the plain name. */
export function translatedName(
  entity: { name: string; nameTranslations: Partial<Record<Locale, string>> },
  locale: Locale,
) {
  return entity.nameTranslations[locale] || entity.nameTranslations.en || entity.name;
}

/** The balance that a program's rewards are priced in. */
export function programBalance(program: Pick<Program, "kind">, card: { pointsBalance: number; stampsBalance: number }) {
  return program.kind === "points" ? card.pointsBalance : card.stampsBalance;
}
