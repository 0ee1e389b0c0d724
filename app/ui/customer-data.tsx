import { useTranslation } from "react-i18next";
import { Form, Link } from "react-router";

export interface CustomerDataView {
  /** Null once erased. */
  name: string | null;
  email: string | null;
  merchant: string;
  cards: number;
  ledgerEntries: number;
  emails: number;
  erased: boolean;
  /** The erasure's confirmation step (`?erase=confirm`), a plain form: no JavaScript needed. */
  confirming: boolean;
}

/** A shopper's data request, for the admin console and the merchant portal alike. */
export function CustomerDataPage({ data, cardHref }: { data: CustomerDataView; cardHref: string }) {
  const { t } = useTranslation("console");
  const name = data.name ?? t("customerData.erasedName");
  return (
    <>
      <title>{t("customerData.pageTitle", { name })}</title>
      <p>
        <Link to={cardHref}>{t("customerData.back")}</Link>
      </p>
      <h1>{t("customerData.pageTitle", { name })}</h1>
      {data.erased ? (
        <p role="status" className="notice">
          {t("customerData.erased")}
        </p>
      ) : (
        <p>{t("customerData.intro")}</p>
      )}
      <dl className="details">
        {data.email ? (
          <>
            <dt>{t("card.email")}</dt>
            <dd>{data.email}</dd>
          </>
        ) : null}
        <dt>{t("customerData.merchant")}</dt>
        <dd>{data.merchant}</dd>
        <dt>{t("customerData.cards")}</dt>
        <dd>{data.cards}</dd>
        <dt>{t("customerData.ledgerEntries")}</dt>
        <dd>{data.ledgerEntries}</dd>
        <dt>{t("customerData.emails")}</dt>
        <dd>{data.emails}</dd>
      </dl>
      <section aria-labelledby="download-heading">
        <h2 id="download-heading">{t("customerData.downloadHeading")}</h2>
        <ul>
          <li>
            <a href={`${cardHref}/customer-data/json`} download>
              {t("customerData.downloadJson")}
            </a>
          </li>
          <li>
            <a href={`${cardHref}/customer-data/txt`} download>
              {t("customerData.downloadText")}
            </a>
          </li>
        </ul>
      </section>
      {data.erased ? null : (
        <section aria-labelledby="erase-heading">
          <h2 id="erase-heading">{t("customerData.eraseHeading")}</h2>
          <p>{t("customerData.eraseExplain")}</p>
          {data.confirming ? (
            <Form method="post">
              <h3>{t("customerData.eraseConfirmHeading", { name })}</h3>
              <button type="submit" name="intent" value="erase" className="danger">
                {t("customerData.eraseConfirm")}
              </button>{" "}
              <Link to="?">{t("customerData.cancel")}</Link>
            </Form>
          ) : (
            <p>
              <Link to="?erase=confirm">{t("customerData.eraseStart")}</Link>
            </p>
          )}
        </section>
      )}
    </>
  );
}
