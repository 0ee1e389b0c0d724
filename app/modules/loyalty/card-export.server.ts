import type { i18n as I18n } from "i18next";
import type { Executor } from "~/db/client.server";
import type { Locale } from "~/i18n/locales";
import type { Scope } from "~/modules/scope/scope";
import { cardsForExport, type ExportedCard } from "./card-detail.server";
import { formatCardNumber } from "./card-number";
import { csvDialect, csvLine, spreadsheetDateTime, utf8Bom } from "./csv";

/** Who reads the export: their language decides the words, the separator and the file name. */
export interface ExportReader {
  locale: Locale;
  t: I18n["t"];
}

/**
 * The cards in `scope` as a CSV file that Excel opens right in the reader's language: UTF-8 with
 * a BOM, the list separator of that language, card numbers grouped in fours (text, so no digit
 * is lost to a 15-digit float), words instead of codes, and dates in the enrolling store's time
 * zone. Streamed batch by batch: a merchant with hundreds of thousands of cards costs one batch of memory.
 */
export function cardsCsv(db: Executor, scope: Scope, reader: ExportReader): ReadableStream<Uint8Array> {
  const { t } = reader;
  const dialect = csvDialect(reader.locale);
  const header = `${utf8Bom}${csvLine(
    [
      t("console:cards.cardNumber"),
      t("console:card.customer"),
      t("console:card.email"),
      t("console:card.phone"),
      t("console:card.birthday"),
      t("console:card.language"),
      t("console:card.marketing"),
      t("console:cardExport.marketingSince"),
      t("console:cards.store"),
      t("console:cards.balance"),
      t("console:card.status"),
      t("console:cards.enrolledOn"),
    ],
    dialect,
  )}`;
  const toCsv = (row: ExportedCard) =>
    csvLine(
      [
        formatCardNumber(row.cardNumber),
        `${row.firstName} ${row.lastName}`,
        row.email,
        row.phone,
        row.birthDate,
        row.language ? t(`common:languageNames.${row.language}`) : "",
        t(row.marketingConsentAt ? "console:cardExport.yes" : "console:cardExport.no"),
        row.marketingConsentAt ? spreadsheetDateTime(row.marketingConsentAt, row.storeTimezone) : "",
        row.storeName,
        row.kind === "points" ? row.pointsBalance : row.stampsBalance,
        t(`console:card.statuses.${row.status}`),
        spreadsheetDateTime(row.createdAt, row.storeTimezone),
      ],
      dialect,
    );
  const batches = cardsForExport(db, scope);
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(header));
    },
    async pull(controller) {
      const next = await batches.next();
      if (next.done) {
        controller.close();
        return;
      }
      controller.enqueue(encoder.encode(next.value.map(toCsv).join("")));
    },
    async cancel() {
      await batches.return(undefined);
    },
  });
}
