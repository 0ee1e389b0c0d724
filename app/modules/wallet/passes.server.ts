import { and, asc, eq } from "drizzle-orm";
import type { Executor } from "~/db/client.server";
import { type Locale, locales } from "~/i18n/locales";
import { serverI18n } from "~/i18n/resources.server";
import { formatCardNumber } from "~/modules/loyalty/card-number";
import { translatedName } from "~/modules/loyalty/programs.server";
import { customers, loyaltyCards, loyaltyPrograms } from "~/modules/loyalty/schema";
import { merchants, stores } from "~/modules/tenancy/schema";
import { storeOrigin } from "~/modules/tenancy/stores.server";
import { signAssertion, WalletApi } from "./google-api.server";
import type { ReadyWalletConfig } from "./wallet-config.server";

/** Google refuses save links longer than this; past it the link carries the object id only. */
export const maxSaveJwtLength = 1800;
export const saveUrlPrefix = "https://pay.google.com/gp/v/save/";

/** `<issuerId>.<suffix>`: Google allows letters, digits, `.`, `_` and `-` in the suffix. */
function walletId(issuerId: string, suffix: string): string {
  if (!/^\d+$/.test(issuerId) || !/^[A-Za-z0-9._-]+$/.test(suffix)) {
    throw new Error(`not a valid Google Wallet id: ${issuerId}.${suffix}`);
  }
  return `${issuerId}.${suffix}`;
}

/** One class per program and one object per card, named by their ids: stable across renames. */
export const loyaltyClassId = (issuerId: string, programId: string) => walletId(issuerId, `program-${programId}`);
export const loyaltyObjectId = (issuerId: string, cardId: string) => walletId(issuerId, `card-${cardId}`);

/** What a class is made of: the program, its merchant, and the merchant's loyalty stores. */
export async function loadClassRecords(db: Executor, programId: string) {
  const [row] = await db
    .select({ program: loyaltyPrograms, merchant: merchants })
    .from(loyaltyPrograms)
    .innerJoin(merchants, eq(merchants.id, loyaltyPrograms.merchantId))
    .where(eq(loyaltyPrograms.id, programId));
  if (!row) return null;
  return { ...row, stores: await passStores(db, row.merchant.id) };
}

function passStores(db: Executor, merchantId: string) {
  return db
    .select({ code: stores.code, name: stores.name, websiteUrl: stores.websiteUrl, address: stores.address })
    .from(stores)
    .where(and(eq(stores.merchantId, merchantId), eq(stores.loyaltyEnabled, true)))
    .orderBy(asc(stores.name));
}

export type ClassRecords = NonNullable<Awaited<ReturnType<typeof loadClassRecords>>>;

/** What a pass is made of: the card, its customer and program, the merchant and its stores. */
export async function loadPassRecords(db: Executor, cardId: string) {
  const [row] = await db
    .select({ card: loyaltyCards, customer: customers, program: loyaltyPrograms, merchant: merchants, store: stores })
    .from(loyaltyCards)
    .innerJoin(customers, eq(customers.id, loyaltyCards.customerId))
    .innerJoin(loyaltyPrograms, eq(loyaltyPrograms.id, loyaltyCards.programId))
    .innerJoin(merchants, eq(merchants.id, loyaltyCards.merchantId))
    .innerJoin(stores, eq(stores.id, loyaltyCards.enrolledStoreId))
    .where(eq(loyaltyCards.id, cardId));
  if (!row) return null;
  return { ...row, stores: await passStores(db, row.merchant.id) };
}

export type PassRecords = NonNullable<Awaited<ReturnType<typeof loadPassRecords>>>;

interface LocalizedString {
  defaultValue: { language: string; value: string };
  translatedValues: { language: string; value: string }[];
}

/** A Google LocalizedString in all four languages, `first` as its default. */
function localized(first: Locale, value: (locale: Locale) => string): LocalizedString {
  return {
    defaultValue: { language: first, value: value(first) },
    translatedValues: locales
      .filter((locale) => locale !== first)
      .map((locale) => ({ language: locale, value: value(locale) })),
  };
}

type PassText = "points" | "stamps" | "stores" | "cardLink" | "logo";
const text = (locale: Locale, key: PassText, values: { program?: string } = {}) =>
  serverI18n(locale).t(`storefront:wallet.pass.${key}`, values);

/** A store as the pass lists it: its name, and its address on one line when known. */
const storeLine = (store: ClassRecords["stores"][number]) =>
  [store.name, ...(store.address ?? "").split("\n")]
    .map((part) => part.trim())
    .filter(Boolean)
    .join(", ");

/** The LoyaltyClass of a program: name, logo, issuer, brand colour, the merchant's stores and addresses. */
export function loyaltyClassPayload(records: ClassRecords, wallet: Pick<ReadyWalletConfig, "issuerId" | "logoUrl">) {
  const { program, merchant } = records;
  const first = merchant.defaultLanguage;
  const logo = program.logoUrl ?? wallet.logoUrl;
  const websites = records.stores.filter((store) => store.websiteUrl);
  return {
    id: loyaltyClassId(wallet.issuerId, program.id),
    issuerName: merchant.name,
    programName: translatedName(program, first),
    localizedProgramName: localized(first, (locale) => translatedName(program, locale)),
    ...(logo
      ? {
          programLogo: {
            sourceUri: { uri: logo },
            contentDescription: localized(first, (locale) =>
              text(locale, "logo", { program: translatedName(program, locale) }),
            ),
          },
        }
      : {}),
    hexBackgroundColor: program.brandColor,
    reviewStatus: "UNDER_REVIEW",
    multipleDevicesAndHoldersAllowedStatus: "ONE_USER_ALL_DEVICES",
    textModulesData: [
      {
        id: "stores",
        header: text(first, "stores"),
        body: records.stores.map(storeLine).join("\n"),
        localizedHeader: localized(first, (locale) => text(locale, "stores")),
      },
    ],
    ...(websites.length > 0
      ? {
          linksModuleData: {
            uris: websites.map((store) => ({
              id: `store-${store.code.toLowerCase().replace(/[^a-z0-9_-]/g, "-")}`,
              uri: store.websiteUrl,
              description: store.name,
            })),
          },
        }
      : {}),
  };
}

/**
 * The LoyaltyObject of a card: holder, card number as a QR code (what the counter scans), the
 * balance (points, or stamps as "7/10"), and active or not.
 */
export function loyaltyObjectPayload(
  records: PassRecords,
  wallet: Pick<ReadyWalletConfig, "issuerId">,
  platformOrigin: string,
) {
  const { card, customer, program } = records;
  const first = customer.preferredLanguage;
  const unit = program.kind === "points" ? "points" : "stamps";
  const cardUrl = `${storeOrigin(platformOrigin, records.store)}/loyalty/card/${card.publicToken}`;
  return {
    id: loyaltyObjectId(wallet.issuerId, card.id),
    classId: loyaltyClassId(wallet.issuerId, program.id),
    state: card.status === "active" ? "ACTIVE" : "INACTIVE",
    accountId: formatCardNumber(card.cardNumber),
    accountName: `${customer.firstName} ${customer.lastName}`.trim(),
    barcode: { type: "QR_CODE", value: card.cardNumber, alternateText: formatCardNumber(card.cardNumber) },
    loyaltyPoints: {
      label: text(first, unit),
      localizedLabel: localized(first, (locale) => text(locale, unit)),
      balance:
        program.kind === "points"
          ? { int: card.pointsBalance }
          : { string: `${card.stampsBalance}/${program.stampsPerCard}` },
    },
    linksModuleData: {
      uris: [
        // In the holder's language only: the object is theirs, and every byte counts against the link's 1,800.
        { id: "card", uri: cardUrl, description: text(first, "cardLink") },
      ],
    },
  };
}

export type LoyaltyObjectPayload = ReturnType<typeof loyaltyObjectPayload>;

/** The Save-to-Google-Wallet JWT: RS256 with the service account's key, `typ` savetowallet. */
export function saveJwt(wallet: Pick<ReadyWalletConfig, "key" | "origins">, loyaltyObjects: { id: string }[]) {
  return signAssertion(
    wallet.key,
    { typ: "savetowallet", origins: wallet.origins, payload: { loyaltyObjects } },
    "google",
  );
}

/**
 * The save link of a card. The class is created or updated first (objects need their class); the
 * JWT carries the whole object, or, when that would pass 1,800 characters, only its id after the
 * object was created through the API. The card records its object id, so balance changes sync it.
 */
export async function walletSaveUrl(
  db: Executor,
  wallet: ReadyWalletConfig,
  platformOrigin: string,
  cardId: string,
): Promise<{ url: string; form: "full" | "skinny" } | null> {
  const records = await loadPassRecords(db, cardId);
  if (!records) return null;
  const api = new WalletApi(wallet);
  await api.upsert("loyaltyClass", loyaltyClassPayload(records, wallet));
  const object = loyaltyObjectPayload(records, wallet, platformOrigin);
  let form: "full" | "skinny" = "full";
  let jwt = await saveJwt(wallet, [object]);
  if (jwt.length > maxSaveJwtLength) {
    await api.upsert("loyaltyObject", object);
    form = "skinny";
    jwt = await saveJwt(wallet, [{ id: object.id }]);
  }
  if (records.card.googleWalletObjectId !== object.id) {
    await db.update(loyaltyCards).set({ googleWalletObjectId: object.id }).where(eq(loyaltyCards.id, cardId));
  }
  return { url: `${saveUrlPrefix}${jwt}`, form };
}
