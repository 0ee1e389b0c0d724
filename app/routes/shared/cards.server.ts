import { randomUUID } from "node:crypto";
import { parseWithZod } from "@conform-to/zod/v4";
import { type AppLoadContext, data, redirect } from "react-router";
import { z } from "zod";
import { badRequest, DomainError, type ErrorCode } from "~/errors";
import { readForm } from "~/http/form.server";
import { formatDate, formatNumber, formatSigned } from "~/i18n/format";
import { isLocale } from "~/i18n/locales";
import {
  adjustCardBalance,
  cardInScope,
  mayCorrectCards,
  voidCardTransaction,
} from "~/modules/loyalty/card-corrections.server";
import { type CardDetail, getCardDetail, searchCards } from "~/modules/loyalty/card-detail.server";
import { formatCardNumber } from "~/modules/loyalty/card-number";
import { voidableTypes } from "~/modules/loyalty/ledger-operations.server";
import { programBalance, translatedName } from "~/modules/loyalty/programs.server";
import { type Actor, type Scope, scopeOf } from "~/modules/scope/scope";
import { adjustSchema, voidSchema } from "~/ui/card-correction-schema";
import type { CardCorrectionReply, CardCorrectionsData } from "~/ui/card-corrections";
import type { CardDetailData, CardSearchData } from "~/ui/cards";
import { recordOr404 } from "./records.server";

const searchParams = z.object({
  q: z.string().max(200).catch(""),
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
});

/** The card search page's data for one scope (admin: platform; portal: the actor's merchant or store). */
export async function loadCardSearch(context: AppLoadContext, request: Request, scope: Scope): Promise<CardSearchData> {
  const url = new URL(request.url);
  const { q, page } = searchParams.parse(Object.fromEntries(url.searchParams));
  const result = await searchCards(context.db, scope, q, page);
  const { locale } = context;
  return {
    query: q,
    page,
    pages: result.pages,
    total: result.total,
    rows: result.rows.map((row) => ({
      id: row.id,
      cardNumber: formatCardNumber(row.cardNumber),
      name: `${row.firstName} ${row.lastName}`,
      email: row.email,
      storeName: row.storeName,
      balance: row.kind === "points" ? row.pointsBalance : row.stampsBalance,
      unit: row.kind,
      enrolledOn: formatDate(locale, row.createdAt, { timeZone: row.storeTimezone }),
    })),
  };
}

/**
 * One card for staff, or 404 when it does not exist or lies outside the actor's scope. With
 * `corrections` (the signed-in actor and the request), the page also offers the manual
 * adjustment and the void of history rows to the roles that may correct cards.
 */
export async function loadCardDetail(
  context: AppLoadContext,
  scope: Scope,
  cardId: string | undefined,
  corrections?: { actor: Actor; request: Request },
): Promise<CardDetailData> {
  const detail = await recordOr404(cardId, (id) => getCardDetail(context.db, scope, id));
  const { locale } = context;
  const timeZone = detail.enrolledStore.timezone;
  const balance = programBalance(detail.program, detail.card);
  const { customer } = detail;
  const change = (entry: { pointsDelta: number; stampsDelta: number }) =>
    formatSigned(locale, detail.program.kind === "points" ? entry.pointsDelta : entry.stampsDelta);
  const dateOf = (entry: { createdAt: Date }) => formatDate(locale, entry.createdAt, { timeZone, withTime: true });
  const voidOf = new Map(
    detail.history.flatMap((entry) => (entry.voidedTransactionId ? [[entry.voidedTransactionId, entry] as const] : [])),
  );
  const byId = new Map(detail.history.map((entry) => [entry.id, entry]));
  const correcting = corrections && mayCorrectCards(corrections.actor) ? corrections : null;
  const actorScope = correcting ? scopeOf(correcting.actor) : null;
  const voidable = (entry: CardDetail["history"][number]) =>
    correcting !== null &&
    detail.card.status === "active" &&
    voidableTypes.includes(entry.type) &&
    !voidOf.has(entry.id) &&
    (actorScope?.kind !== "store" || actorScope.storeId === entry.storeId);
  return {
    cardNumber: formatCardNumber(detail.card.cardNumber),
    status: detail.card.status,
    unit: detail.program.kind,
    balance,
    programName: translatedName(detail.program, locale),
    enrolledStore: detail.enrolledStore.name,
    enrolledOn: formatDate(locale, detail.card.createdAt, { timeZone }),
    wallet: detail.wallet.saved
      ? {
          saved: true,
          syncStatus: detail.wallet.syncStatus,
          syncedAt: detail.wallet.syncedAt
            ? formatDate(locale, detail.wallet.syncedAt, { timeZone, withTime: true })
            : null,
        }
      : { saved: false, syncStatus: null, syncedAt: null },
    customer: {
      name: `${customer.firstName} ${customer.lastName}`,
      email: customer.email,
      phone: customer.phone,
      birthday: customer.birthDate ? formatDate(locale, `${customer.birthDate}T12:00:00Z`, { timeZone: "UTC" }) : null,
      language: isLocale(customer.preferredLanguage) ? customer.preferredLanguage : null,
      termsAcceptedOn: formatDate(locale, customer.termsAcceptedAt, { timeZone }),
      marketingOn: customer.marketingConsentAt ? formatDate(locale, customer.marketingConsentAt, { timeZone }) : null,
    },
    rewards: detail.rewards.map((reward) => ({
      id: reward.id,
      name: translatedName(reward, locale),
      cost: reward.cost,
      progress: Math.min(balance, reward.cost),
    })),
    history: detail.history.map((entry) => {
      const voidedBy = voidOf.get(entry.id);
      const voided = entry.voidedTransactionId ? byId.get(entry.voidedTransactionId) : undefined;
      return {
        id: entry.id,
        type: entry.type,
        date: dateOf(entry),
        storeName: entry.storeName,
        staffName: entry.staffName,
        device: entry.deviceId ? entry.deviceId.slice(0, 8) : null,
        change: change(entry),
        amount:
          entry.amountCents === null
            ? null
            : formatNumber(locale, entry.amountCents / 100, { style: "currency", currency: "EUR" }),
        reason: entry.reason,
        voids: entry.voidedTransactionId
          ? { id: entry.voidedTransactionId, date: voided ? dateOf(voided) : null }
          : null,
        voidedBy: voidedBy ? { id: voidedBy.id, date: dateOf(voidedBy) } : null,
        voidable: voidable(entry),
      };
    }),
    corrections: correcting ? correctionsData(correcting.request, detail, dateOf, change, voidable) : null,
  };
}

/** The adjustment form and, on `?void=<row>`, the void confirmation; a fresh operation key each time. */
function correctionsData(
  request: Request,
  detail: CardDetail,
  dateOf: (entry: { createdAt: Date }) => string,
  change: (entry: { pointsDelta: number; stampsDelta: number }) => string,
  voidable: (entry: CardDetail["history"][number]) => boolean,
): CardCorrectionsData {
  const url = new URL(request.url);
  const target = Number(url.searchParams.get("void"));
  const entry = Number.isSafeInteger(target) ? detail.history.find((row) => row.id === target) : undefined;
  const done = url.searchParams.get("done");
  return {
    operationKey: `portal:${randomUUID()}`,
    unit: detail.program.kind,
    cardActive: detail.card.status === "active",
    done: done === "adjusted" || done === "voided" ? done : null,
    confirmVoid: entry
      ? { id: entry.id, type: entry.type, date: dateOf(entry), change: change(entry), voidable: voidable(entry) }
      : null,
  };
}

/** Which field of its form each ledger refusal is shown next to; the rest go above the form's button. */
const refusalField: Record<"adjust" | "void", Partial<Record<ErrorCode, string>>> = {
  adjust: { insufficient_balance: "delta", invalid_adjustment: "delta", reason_required: "reason" },
  void: { reason_required: "reason" },
};
const shownRefusals: readonly ErrorCode[] = [
  "insufficient_balance",
  "invalid_adjustment",
  "reason_required",
  "already_voided",
  "not_voidable",
  "transaction_not_found",
  "idempotency_conflict",
  "invalid_idempotency_key",
  "card_inactive",
];

/**
 * The card page's POST: a manual adjustment (`intent=adjust`) or a confirmed void
 * (`intent=void`), by the signed-in actor in their scope. Success redirects to the card page
 * (a reload then shows it; resending the POST replays the same key and records nothing more);
 * a refusal comes back next to its field in the page's language.
 */
export async function cardCorrectionAction(
  context: AppLoadContext,
  request: Request,
  actor: Actor,
  cardId: string | undefined,
  basePath: string,
) {
  // Scope before anything the form says: a card out of scope is a 404 whatever was posted.
  const card = await recordOr404(cardId, (id) => cardInScope(context.db, actor, id));
  const form = await readForm(request);
  const intent = form.get("intent");
  if (intent !== "adjust" && intent !== "void") throw badRequest();
  const submission = parseWithZod(form, { schema: intent === "adjust" ? adjustSchema : voidSchema });
  const reply = (result: CardCorrectionReply["result"]): CardCorrectionReply => ({ intent, result });
  if (submission.status !== "success") return data(reply(submission.reply()), { status: 400 });
  const value = submission.value;
  try {
    if (value.intent === "adjust") {
      await adjustCardBalance(context.db, actor, { cardId: card.id, ...value });
      return redirect(`${basePath}/${card.id}?done=adjusted`);
    }
    await voidCardTransaction(context.db, actor, { cardId: card.id, ...value });
    return redirect(`${basePath}/${card.id}?done=voided`);
  } catch (error) {
    if (!(error instanceof DomainError) || !shownRefusals.includes(error.code)) throw error;
    const message = `common:errors.${error.code}.body`;
    const field = refusalField[intent][error.code];
    const result = field
      ? submission.reply({ fieldErrors: { [field]: [message] } })
      : submission.reply({ formErrors: [message] });
    return data(reply(result), { status: error.status });
  }
}
