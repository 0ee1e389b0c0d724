import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { Form, Link } from "react-router";
import type { Locale } from "~/i18n/locales";
import type { CardStatus, ProgramKind, TransactionType, WalletSyncStatus } from "~/modules/loyalty/schema";
import {
  AdjustBalanceForm,
  type CardCorrectionReply,
  type CardCorrectionsData,
  CorrectionNotice,
  VoidConfirmation,
} from "./card-corrections";
import { TableScroll } from "./data-table";
import { Pagination } from "./pagination";

/** The card search page as staff read it: every value already formatted in the page's locale. */
export interface CardSearchData {
  query: string;
  page: number;
  pages: number;
  total: number;
  rows: {
    id: string;
    cardNumber: string;
    name: string;
    email: string;
    storeName: string;
    balance: number;
    unit: ProgramKind;
    enrolledOn: string;
  }[];
}

/** One card as staff read it: dates, amounts and signed changes already formatted. */
export interface CardDetailData {
  cardNumber: string;
  status: CardStatus;
  unit: ProgramKind;
  balance: number;
  programName: string;
  enrolledStore: string;
  enrolledOn: string;
  /** The Google Wallet pass: whether one was saved, and its last sync (status and formatted time). */
  wallet: { saved: boolean; syncStatus: WalletSyncStatus | null; syncedAt: string | null };
  customer: {
    name: string;
    email: string;
    phone: string | null;
    birthday: string | null;
    language: Locale | null;
    termsAcceptedOn: string;
    marketingOn: string | null;
  };
  rewards: { id: string; name: string; cost: number; progress: number }[];
  history: {
    id: number;
    type: TransactionType;
    date: string;
    storeName: string;
    staffName: string | null;
    device: string | null;
    change: string;
    amount: string | null;
    reason: string | null;
    /** The row this one reverses (a void), and its date when it is on the page. */
    voids: { id: number; date: string | null } | null;
    /** The void that reversed this row. */
    voidedBy: { id: number; date: string } | null;
    voidable: boolean;
  }[];
  /** Manual adjustment and voids, for the roles that may correct a card; null for the others. */
  corrections: CardCorrectionsData | null;
}

/** Card search with server-side pagination; `basePath` is /admin/cards or /merchant/cards. */
export function CardSearch({ data, basePath }: { data: CardSearchData; basePath: string }) {
  const { t } = useTranslation(["console", "common"]);
  return (
    <>
      <title>{t("cards.title")}</title>
      <h1>{t("cards.title")}</h1>
      <Form method="get" className="search-form" role="search">
        <div className="field">
          <label htmlFor="q">{t("cards.search")}</label>
          <p id="q-hint" className="field-hint">
            {t("cards.searchHint")}
          </p>
          <input id="q" name="q" type="search" defaultValue={data.query} aria-describedby="q-hint" maxLength={200} />
        </div>
        <button type="submit" className="button button-primary">
          {t("cards.submit")}
        </button>
      </Form>
      {data.rows.length === 0 ? (
        <p className="panel" role="status">
          {data.query ? t("cards.noResults", { query: data.query }) : t("cards.empty")}
        </p>
      ) : (
        <>
          <p role="status">{t("cards.results", { count: data.total })}</p>
          <TableScroll label={t("cards.title")}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t("cards.cardNumber")}</th>
                  <th scope="col">{t("cards.customer")}</th>
                  <th scope="col">{t("cards.email")}</th>
                  <th scope="col">{t("cards.store")}</th>
                  <th scope="col" className="numeric">
                    {t("cards.balance")}
                  </th>
                  <th scope="col">{t("cards.enrolledOn")}</th>
                </tr>
              </thead>
              <tbody>
                {data.rows.map((row) => (
                  <tr key={row.id}>
                    <td>
                      <Link to={`${basePath}/${row.id}`}>{row.cardNumber}</Link>
                    </td>
                    <td>{row.name}</td>
                    <td>{row.email}</td>
                    <td>{row.storeName}</td>
                    <td className="numeric">{t(`common:units.${row.unit}`, { count: row.balance })}</td>
                    <td>{row.enrolledOn}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
          <Pagination page={data.page} pages={data.pages} />
        </>
      )}
    </>
  );
}

/** One card as staff see it: the same component behind the admin and merchant pages. */
export function CardDetailView({
  data,
  backHref,
  cardHref,
  reply,
}: {
  data: CardDetailData;
  backHref: string;
  /** This page's own address, where the void confirmation's "keep it" leads back. */
  cardHref: string;
  reply?: CardCorrectionReply;
}) {
  const { t } = useTranslation(["console", "common"]);
  const notGiven = t("card.notGiven");
  const units = (count: number) => t(`common:units.${data.unit}`, { count });
  return (
    <>
      <title>{t("card.title", { number: data.cardNumber })}</title>
      <p>
        <Link to={backHref}>{t("card.back")}</Link>
      </p>
      <h1>{t("card.title", { number: data.cardNumber })}</h1>
      {data.corrections ? <CorrectionNotice data={data.corrections} /> : null}
      <div className="columns">
        <section aria-labelledby="customer-heading">
          <h2 id="customer-heading">{t("card.customer")}</h2>
          <dl className="details">
            <dt>{t("card.customer")}</dt>
            <dd>{data.customer.name}</dd>
            <dt>{t("card.email")}</dt>
            <dd>{data.customer.email}</dd>
            <dt>{t("card.phone")}</dt>
            <dd data-testid="customer-phone">{data.customer.phone ?? notGiven}</dd>
            <dt>{t("card.birthday")}</dt>
            <dd data-testid="customer-birthday">{data.customer.birthday ?? notGiven}</dd>
            <dt>{t("card.language")}</dt>
            <dd>{data.customer.language ? t(`common:languageNames.${data.customer.language}`) : notGiven}</dd>
            <dt>{t("card.termsAccepted")}</dt>
            <dd>{data.customer.termsAcceptedOn}</dd>
            <dt>{t("card.marketing")}</dt>
            <dd>
              {data.customer.marketingOn
                ? t("card.marketingYes", { date: data.customer.marketingOn })
                : t("card.marketingNo")}
            </dd>
          </dl>
        </section>
        <section aria-labelledby="card-heading">
          <h2 id="card-heading">{t("card.card")}</h2>
          <dl className="details">
            <dt>{t("card.program")}</dt>
            <dd>{data.programName}</dd>
            <dt>{t("card.status")}</dt>
            <dd>{t(`card.statuses.${data.status}`)}</dd>
            <dt>{t("card.balance")}</dt>
            <dd data-testid="card-balance">{units(data.balance)}</dd>
            <dt>{t("card.enrolledAt")}</dt>
            <dd data-testid="enrolled-store">{data.enrolledStore}</dd>
            <dt>{t("card.enrolledOn")}</dt>
            <dd>{data.enrolledOn}</dd>
            <dt>{t("cardWallet.label")}</dt>
            <dd data-testid="card-wallet">{walletStatus(t, data.wallet)}</dd>
          </dl>
        </section>
      </div>
      {data.rewards.length > 0 ? (
        <section aria-labelledby="rewards-heading">
          <h2 id="rewards-heading">{t("card.rewards")}</h2>
          <ul className="reward-progress">
            {data.rewards.map((reward) => (
              <li key={reward.id}>
                <div className="reward-line">
                  <span id={`reward-${reward.id}`}>{reward.name}</span>
                  <span>
                    {reward.progress >= reward.cost
                      ? t("card.ready")
                      : t(`common:rewardProgress.${data.unit}`, { current: reward.progress, count: reward.cost })}
                  </span>
                </div>
                <progress max={reward.cost} value={reward.progress} aria-labelledby={`reward-${reward.id}`} />
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {/* Keyed by the operation key: a recorded correction brings a new key and empty forms. */}
      {data.corrections ? (
        <AdjustBalanceForm key={data.corrections.operationKey} data={data.corrections} reply={reply} />
      ) : null}
      {data.corrections ? (
        <VoidConfirmation
          key={`void-${data.corrections.operationKey}`}
          data={data.corrections}
          reply={reply}
          cardHref={cardHref}
        />
      ) : null}
      <section aria-labelledby="history-heading">
        <h2 id="history-heading">{t("card.history")}</h2>
        {data.history.length === 0 ? (
          <p>{t("card.historyEmpty")}</p>
        ) : (
          <TableScroll label={t("card.history")}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t("card.date")}</th>
                  <th scope="col">{t("card.activity")}</th>
                  <th scope="col">{t("card.store")}</th>
                  <th scope="col">{t("card.staff")}</th>
                  <th scope="col">{t("card.device")}</th>
                  <th scope="col" className="numeric">
                    {t("card.amount")}
                  </th>
                  <th scope="col" className="numeric">
                    {t("card.change")}
                  </th>
                  <th scope="col">{t("card.reason")}</th>
                  {data.corrections ? <th scope="col">{t("card.corrections.actions")}</th> : null}
                </tr>
              </thead>
              <tbody>
                {data.history.map((entry) => (
                  <tr key={entry.id} id={`transaction-${entry.id}`}>
                    <td>{entry.date}</td>
                    <td>{t(`common:transactionTypes.${entry.type}`)}</td>
                    <td>{entry.storeName}</td>
                    <td>{entry.staffName ?? t("card.nobody")}</td>
                    <td>{entry.device ?? t("card.nobody")}</td>
                    <td className="numeric">{entry.amount ?? t("card.nobody")}</td>
                    <td className="numeric">{entry.change}</td>
                    <td>
                      <HistoryNote entry={entry} />
                    </td>
                    {data.corrections ? (
                      <td>
                        {entry.voidable ? (
                          <Link
                            to={`?void=${entry.id}#void-confirm`}
                            aria-label={t("card.corrections.voidLinkLabel", {
                              activity: t(`common:transactionTypes.${entry.type}`),
                              date: entry.date,
                            })}
                          >
                            {t("card.corrections.voidLink")}
                          </Link>
                        ) : null}
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        )}
      </section>
    </>
  );
}

/** A row's reason, and the link between a voided row and the void that reversed it. */
/** The pass's state in staff words: not saved, saved but never synced, or the last sync's outcome and time. */
function walletStatus(t: TFunction<["console", "common"]>, wallet: CardDetailData["wallet"]) {
  if (!wallet.saved) return t("cardWallet.notSaved");
  if (!wallet.syncStatus || !wallet.syncedAt) return t("cardWallet.pending");
  return t(`cardWallet.${wallet.syncStatus}`, { date: wallet.syncedAt });
}

function HistoryNote({ entry }: { entry: CardDetailData["history"][number] }) {
  const { t } = useTranslation("console");
  const notes = [
    entry.reason ? <span key="reason">{entry.reason}</span> : null,
    entry.voids ? (
      <a key="voids" href={`#transaction-${entry.voids.id}`}>
        {entry.voids.date
          ? t("card.corrections.cancels", { date: entry.voids.date })
          : t("card.corrections.cancelsOlder")}
      </a>
    ) : null,
    entry.voidedBy ? (
      <a key="voided" href={`#transaction-${entry.voidedBy.id}`}>
        {t("card.corrections.cancelledOn", { date: entry.voidedBy.date })}
      </a>
    ) : null,
  ].filter(Boolean);
  if (notes.length === 0) return <>{t("card.nobody")}</>;
  return <span className="history-note">{notes}</span>;
}
