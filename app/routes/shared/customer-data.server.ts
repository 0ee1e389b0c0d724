import { type AppLoadContext, redirect } from "react-router";
import { accessDenied, badRequest, notFound } from "~/errors";
import { readForm } from "~/http/form.server";
import { formatDate, formatNumber, formatSigned } from "~/i18n/format";
import { isLocale } from "~/i18n/locales";
import { recordAudit } from "~/modules/audit/audit.server";
import { formatCardNumber } from "~/modules/loyalty/card-number";
import {
  type CustomerDataExport,
  customerOfCard,
  eraseCustomer,
  exportCustomerData,
} from "~/modules/privacy/customer-data.server";
import type { Actor, Scope } from "~/modules/scope/scope";
import type { CustomerDataView } from "~/ui/customer-data";
import { recordOr404 } from "./records.server";

/** The customer behind a card the scope sees, with everything held about them; 404 otherwise. */
async function loadExport(context: AppLoadContext, scope: Scope, cardId: string | undefined) {
  const customerId = await recordOr404(cardId, (id) => customerOfCard(context.db, scope, id));
  const data = await recordOr404(customerId, (id) => exportCustomerData(context.db, scope, id));
  return { customerId, data };
}

/** Data requests are handled by platform admins and merchant owners, not store managers (ADR 019). */
function requireDataRequestRole(actor: Actor): void {
  if (actor.role !== "platform_admin" && actor.role !== "merchant_owner") throw accessDenied();
}

/** The customer data page: what is held, in numbers, and whether it was erased. */
export async function loadCustomerDataPage(
  context: AppLoadContext,
  request: Request,
  actor: Actor,
  scope: Scope,
  cardId: string | undefined,
): Promise<CustomerDataView> {
  // The scope first: a card outside it is a 404 for everyone, as on every other page.
  const { data } = await loadExport(context, scope, cardId);
  requireDataRequestRole(actor);
  const url = new URL(request.url);
  return {
    name: data.erased ? null : `${data.customer.firstName} ${data.customer.lastName}`,
    email: data.erased ? null : data.customer.email,
    merchant: data.merchant,
    cards: data.cards.length,
    ledgerEntries: data.cards.reduce((sum, card) => sum + card.ledger.length, 0),
    emails: data.emails.length,
    erased: data.erased,
    confirming: url.searchParams.get("erase") === "confirm" && !data.erased,
  };
}

/** POST of the confirmation form: erases, audited, and comes back to the page. */
export async function eraseFromPage(
  context: AppLoadContext,
  request: Request,
  actor: Actor,
  scope: Scope,
  cardId: string | undefined,
): Promise<Response> {
  // The scope first, as on the page: a card outside it, or unknown, is a 404 for everyone.
  const customerId = await recordOr404(cardId, (id) => customerOfCard(context.db, scope, id));
  requireDataRequestRole(actor);
  const form = await readForm(request);
  if (form.get("intent") !== "erase") throw badRequest();
  if (!(await eraseCustomer(context.db, actor, scope, customerId))) throw accessDenied();
  return redirect(new URL(request.url).pathname);
}

/** The download, as JSON or readable text in the staff member's language; each one audited. */
export async function downloadCustomerData(
  context: AppLoadContext,
  actor: Actor,
  scope: Scope,
  cardId: string | undefined,
  format: string | undefined,
): Promise<Response> {
  if (format !== "json" && format !== "txt") throw notFound();
  const { customerId, data } = await loadExport(context, scope, cardId);
  requireDataRequestRole(actor);
  await recordAudit(context.db, actor, {
    action: "customer.exported",
    entityType: "customer",
    entityId: customerId,
    details: { format },
  });
  const body = format === "json" ? `${JSON.stringify(data, null, 2)}\n` : customerDataText(context, data);
  return new Response(body, {
    headers: {
      "content-type": format === "json" ? "application/json; charset=utf-8" : "text/plain; charset=utf-8",
      "content-disposition": `attachment; filename="customer-${customerId}.${format}"`,
      "cache-control": "no-store",
    },
  });
}

/** The readable copy: the same data as the JSON, labelled in the reader's language. */
function customerDataText(context: AppLoadContext, data: CustomerDataExport): string {
  const { t } = context.i18n;
  const { locale } = context;
  const timeZone = "Europe/Luxembourg";
  const when = (value: Date | null) => (value ? formatDate(locale, value, { timeZone, withTime: true }) : "—");
  const field = (label: string, value: string | null | undefined) => `${label}: ${value || "—"}`;
  const language = data.customer.preferredLanguage;
  const lines = [
    t("console:customerData.exportTitle", { merchant: data.merchant }),
    field(t("console:customerData.exportedAt"), when(data.exportedAt)),
    "",
    `== ${t("console:card.customer")}`,
    field(t("console:card.customer"), `${data.customer.firstName} ${data.customer.lastName}`.trim()),
    field(t("console:card.email"), data.customer.email),
    field(t("console:card.phone"), data.customer.phone),
    field(t("console:card.birthday"), data.customer.birthDate),
    field(t("console:card.language"), isLocale(language) ? t(`common:languageNames.${language}`) : language),
    "",
    `== ${t("console:customerData.consents")}`,
    field(t("console:card.termsAccepted"), when(data.consents.termsAcceptedAt)),
    field(t("console:card.marketing"), when(data.consents.marketingConsentAt)),
    field(t("console:customerData.remindersOff"), when(data.consents.remindersOptedOutAt)),
  ];
  for (const card of data.cards) {
    const unit = card.kind === "points" ? "pointsDelta" : "stampsDelta";
    lines.push(
      "",
      `== ${t("console:card.title", { number: formatCardNumber(card.cardNumber) })}`,
      field(t("console:card.program"), card.program),
      field(t("console:card.status"), t(`console:card.statuses.${card.status}`)),
      field(t("console:card.enrolledAt"), `${card.enrolledAt}, ${when(card.createdAt)}`),
      field(
        t("console:card.balance"),
        t(`common:units.${card.kind}`, { count: card.kind === "points" ? card.pointsBalance : card.stampsBalance }),
      ),
      field(t("console:customerData.walletObject"), card.googleWalletObjectId),
      `${t("console:card.history")}:`,
      ...card.ledger.map((entry) =>
        [
          `  ${when(entry.createdAt)}`,
          t(`common:transactionTypes.${entry.type}`),
          entry.store,
          formatSigned(locale, entry[unit]),
          entry.amountCents === null
            ? ""
            : formatNumber(locale, entry.amountCents / 100, { style: "currency", currency: "EUR" }),
          entry.reason ?? "",
        ]
          .filter(Boolean)
          .join(" | "),
      ),
    );
  }
  lines.push("", `== ${t("console:customerData.emails")}`);
  for (const email of data.emails) {
    lines.push(
      "",
      field(t("console:customerData.kind"), t(`console:emailTemplates.keys.${email.kind}`)),
      field(t("console:customerData.recipient"), email.recipient),
      field(t("console:customerData.subject"), email.subject),
      field(t("console:customerData.statusOfEmail"), t(`console:emailLogs.statuses.${email.status}`)),
      field(t("console:emailLogs.created"), when(email.createdAt)),
      field(t("console:customerData.sentAt"), when(email.sentAt)),
      ...(email.text ? ["", ...email.text.split("\n").map((line) => `    ${line}`)] : []),
    );
  }
  return `${lines.join("\n")}\n`;
}
