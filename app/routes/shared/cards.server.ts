import type { AppLoadContext } from "react-router";
import { z } from "zod";
import { notFound } from "~/errors";
import { formatDate, formatNumber, formatSigned } from "~/i18n/format";
import { isLocale } from "~/i18n/locales";
import { getCardDetail, searchCards } from "~/modules/loyalty/card-detail.server";
import { formatCardNumber } from "~/modules/loyalty/card-number";
import { programBalance, translatedName } from "~/modules/loyalty/programs.server";
import type { Scope } from "~/modules/scope/scope";
import type { CardDetailData, CardSearchData } from "~/ui/cards";

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

/** One card for staff, or 404 when it does not exist or lies outside the actor's scope. */
export async function loadCardDetail(
  context: AppLoadContext,
  scope: Scope,
  cardId: string | undefined,
): Promise<CardDetailData> {
  const parsed = z.uuid().safeParse(cardId);
  if (!parsed.success) throw notFound();
  const detail = await getCardDetail(context.db, scope, parsed.data);
  if (!detail) throw notFound();
  const { locale } = context;
  const timeZone = detail.enrolledStore.timezone;
  const balance = programBalance(detail.program, detail.card);
  const { customer } = detail;
  return {
    cardNumber: formatCardNumber(detail.card.cardNumber),
    status: detail.card.status,
    unit: detail.program.kind,
    balance,
    programName: translatedName(detail.program, locale),
    enrolledStore: detail.enrolledStore.name,
    enrolledOn: formatDate(locale, detail.card.createdAt, { timeZone }),
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
    history: detail.history.map((entry) => ({
      id: entry.id,
      type: entry.type,
      date: formatDate(locale, entry.createdAt, { timeZone, withTime: true }),
      storeName: entry.storeName,
      staffName: entry.staffName,
      device: entry.deviceId ? entry.deviceId.slice(0, 8) : null,
      change: formatSigned(locale, detail.program.kind === "points" ? entry.pointsDelta : entry.stampsDelta),
      amount:
        entry.amountCents === null
          ? null
          : formatNumber(locale, entry.amountCents / 100, { style: "currency", currency: "EUR" }),
    })),
  };
}
