import { and, asc, count, eq, inArray, notInArray } from "drizzle-orm";
import type { Database } from "~/db/client.server";
import { isUniqueViolation } from "~/db/errors";
import { pageCount, pageSize } from "~/db/pagination";
import { FieldError, notFound } from "~/errors";
import type { PartialTranslations } from "~/i18n/locales";
import { recordAudit } from "~/modules/audit/audit.server";
import { merchantsInScope, programsInScope } from "~/modules/scope/conditions.server";
import type { Actor, Scope } from "~/modules/scope/scope";
import { merchants } from "~/modules/tenancy/schema";
import { queueWalletClassSync } from "~/modules/wallet/jobs.server";
import { loyaltyCards, loyaltyPrograms, loyaltyRewards, type PointsExpiryRule, type ProgramKind } from "./schema";

export interface ProgramFields {
  name: PartialTranslations & { en: string };
  kind: ProgramKind;
  pointsPerEuro: number;
  stampsPerCard: number;
  welcomeBonus: number;
  /** Stamps one purchase earns on a stamps program (1 when left out). */
  stampsPerPurchase?: number;
  /** Left out: `after_earning` when months are given, else `none` (the form before the rule existed). */
  pointsExpiryRule?: PointsExpiryRule;
  /** Required with a rule other than `none`; only points programs may have one. */
  pointsExpiryMonths?: number;
  brandColor: string;
  logoUrl?: string;
  termsUrl?: string;
  active: boolean;
  rewards: { id?: string; name: PartialTranslations; cost?: number }[];
}

/** The programs a scope may see with their merchant and active reward count, one page at a time. */
export async function listPrograms(db: Database, scope: Scope, page: number) {
  const [rows, [total]] = await Promise.all([
    db
      .select({ program: loyaltyPrograms, merchantName: merchants.name })
      .from(loyaltyPrograms)
      .innerJoin(merchants, eq(merchants.id, loyaltyPrograms.merchantId))
      .where(programsInScope(scope))
      .orderBy(asc(merchants.name), asc(loyaltyPrograms.createdAt))
      .limit(pageSize)
      .offset((page - 1) * pageSize),
    db.select({ value: count() }).from(loyaltyPrograms).where(programsInScope(scope)),
  ]);
  const ids = rows.map((row) => row.program.id);
  const rewardCounts = ids.length
    ? await db
        .select({ programId: loyaltyRewards.programId, value: count() })
        .from(loyaltyRewards)
        .where(and(eq(loyaltyRewards.active, true), inArray(loyaltyRewards.programId, ids)))
        .groupBy(loyaltyRewards.programId)
    : [];
  const rewardsBy = new Map(rewardCounts.map((row) => [row.programId, row.value]));
  return {
    rows: rows.map((row) => ({ ...row, rewardCount: rewardsBy.get(row.program.id) ?? 0 })),
    pages: pageCount(total?.value ?? 0),
  };
}

export async function programForEdit(db: Database, scope: Scope, programId: string) {
  const [program] = await db
    .select()
    .from(loyaltyPrograms)
    .where(and(eq(loyaltyPrograms.id, programId), programsInScope(scope)));
  if (!program) return null;
  const rewards = await db
    .select()
    .from(loyaltyRewards)
    .where(and(eq(loyaltyRewards.programId, programId), eq(loyaltyRewards.active, true)))
    .orderBy(asc(loyaltyRewards.cost));
  return { program, rewards };
}

/** The expiry columns a program's fields stand for; refuses a rule without months or on a stamps program. */
function pointsExpiryColumns(fields: ProgramFields) {
  const rule = fields.pointsExpiryRule ?? (fields.pointsExpiryMonths ? "after_earning" : "none");
  if (rule === "none") return { pointsExpiryRule: rule, pointsExpiryMonths: null };
  if (fields.kind !== "points") throw new FieldError("pointsExpiryMonths", "programs.errors.expiryPointsOnly");
  if (!fields.pointsExpiryMonths) throw new FieldError("pointsExpiryMonths", "programs.errors.expiryMonthsRequired");
  return { pointsExpiryRule: rule, pointsExpiryMonths: fields.pointsExpiryMonths };
}

function columns(fields: ProgramFields) {
  return {
    name: fields.name.en,
    nameTranslations: fields.name,
    kind: fields.kind,
    pointsPerEuro: fields.pointsPerEuro,
    stampsPerCard: fields.stampsPerCard,
    welcomeBonus: fields.welcomeBonus,
    stampsPerPurchase: fields.stampsPerPurchase ?? 1,
    ...pointsExpiryColumns(fields),
    brandColor: fields.brandColor.toLowerCase(),
    logoUrl: fields.logoUrl ?? null,
    termsUrl: fields.termsUrl ?? null,
    active: fields.active,
  };
}

/** Creates a merchant's program with its rewards; a merchant has at most one active program. */
export async function createProgram(db: Database, actor: Actor, merchantId: string | undefined, fields: ProgramFields) {
  if (!merchantId) throw new FieldError("merchantId", "programs.errors.merchantRequired");
  try {
    return await insertProgram(db, actor, merchantId, fields);
  } catch (error) {
    // Two admins creating at once: the partial unique index decides, and the loser is told why.
    if (isUniqueViolation(error, "loyalty_programs_one_active_per_merchant")) {
      throw new FieldError("merchantId", "programs.errors.merchantHasProgram");
    }
    throw error;
  }
}

function insertProgram(db: Database, actor: Actor, merchantId: string, fields: ProgramFields) {
  return db.transaction(async (tx) => {
    const [merchant] = await tx.select({ id: merchants.id }).from(merchants).where(eq(merchants.id, merchantId));
    if (!merchant) throw new FieldError("merchantId", "programs.errors.merchantRequired");
    if (fields.active) {
      const [existing] = await tx
        .select({ id: loyaltyPrograms.id })
        .from(loyaltyPrograms)
        .where(and(eq(loyaltyPrograms.merchantId, merchantId), eq(loyaltyPrograms.active, true)))
        .for("update");
      if (existing) throw new FieldError("merchantId", "programs.errors.merchantHasProgram");
    }
    const [program] = await tx
      .insert(loyaltyPrograms)
      .values({ merchantId, ...columns(fields) })
      .returning();
    if (!program) throw new Error("program insert returned no row");
    await saveRewards(tx, program.id, fields.rewards);
    await recordAudit(tx, actor, {
      action: "program.create",
      entityType: "loyalty_program",
      entityId: program.id,
      merchantId,
    });
    return program;
  });
}

export async function updateProgram(db: Database, actor: Actor, programId: string, fields: ProgramFields) {
  try {
    return await saveProgram(db, actor, programId, fields);
  } catch (error) {
    if (isUniqueViolation(error, "loyalty_programs_one_active_per_merchant")) {
      throw new FieldError("active", "programs.errors.merchantHasProgram");
    }
    throw error;
  }
}

function saveProgram(db: Database, actor: Actor, programId: string, fields: ProgramFields) {
  return db.transaction(async (tx) => {
    const [program] = await tx.select().from(loyaltyPrograms).where(eq(loyaltyPrograms.id, programId)).for("update");
    if (!program) throw notFound();
    if (program.kind !== fields.kind) {
      const [cards] = await tx
        .select({ value: count() })
        .from(loyaltyCards)
        .where(eq(loyaltyCards.programId, programId));
      if ((cards?.value ?? 0) > 0) throw new FieldError("kind", "programs.errors.kindLocked");
    }
    if (fields.active && !program.active) {
      const [other] = await tx
        .select({ id: loyaltyPrograms.id })
        .from(loyaltyPrograms)
        .where(and(eq(loyaltyPrograms.merchantId, program.merchantId), eq(loyaltyPrograms.active, true)));
      if (other) throw new FieldError("active", "programs.errors.merchantHasProgram");
    }
    await tx.update(loyaltyPrograms).set(columns(fields)).where(eq(loyaltyPrograms.id, programId));
    await saveRewards(tx, programId, fields.rewards);
    // The passes show the program's name, logo and colour: their class follows the edit.
    await queueWalletClassSync(tx, programId);
    await recordAudit(tx, actor, {
      action: "program.update",
      entityType: "loyalty_program",
      entityId: programId,
      merchantId: program.merchantId,
    });
  });
}

/** Rewards keep their ids (redemptions point at them); a reward left out is retired, not deleted. */
async function saveRewards(
  tx: Parameters<Parameters<Database["transaction"]>[0]>[0],
  programId: string,
  rewards: ProgramFields["rewards"],
) {
  const kept = rewards.flatMap((reward) => (reward.id ? [reward.id] : []));
  await tx
    .update(loyaltyRewards)
    .set({ active: false })
    .where(and(eq(loyaltyRewards.programId, programId), kept.length ? notInArray(loyaltyRewards.id, kept) : undefined));
  for (const reward of rewards) {
    const values = { name: reward.name.en ?? "", nameTranslations: reward.name, cost: reward.cost ?? 1, active: true };
    if (reward.id) {
      await tx
        .update(loyaltyRewards)
        .set(values)
        .where(and(eq(loyaltyRewards.id, reward.id), eq(loyaltyRewards.programId, programId)));
    } else {
      await tx.insert(loyaltyRewards).values({ programId, ...values });
    }
  }
}

export async function merchantOptions(db: Database, scope: Scope) {
  return db
    .select({ id: merchants.id, name: merchants.name })
    .from(merchants)
    .where(merchantsInScope(scope))
    .orderBy(asc(merchants.name));
}
