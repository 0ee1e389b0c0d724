import { useTranslation } from "react-i18next";
import type { PointsExpiry } from "~/modules/loyalty/points-expiry";
import { StampGrid } from "./stamp-grid";

export interface CardSummaryData {
  cardNumber: string;
  balance: number;
  unit: "points" | "stamps";
  qrSvg: string;
  /** Stamps programs: the stamps one card holds (its grid). */
  stampsPerCard?: number;
  /** The program's points expiry rule; absent on stamps programs. */
  pointsExpiry?: PointsExpiry | null;
}

/** Card number, balance and QR: the part of the card a shopper shows at the counter. */
export function CardSummary({ card }: { card: CardSummaryData }) {
  const { t } = useTranslation(["storefront", "common"]);
  return (
    <div className="card-summary">
      <div className="card-qr" role="img" aria-label={t("card.qrLabel", { number: card.cardNumber })}>
        <div aria-hidden="true" dangerouslySetInnerHTML={{ __html: card.qrSvg }} />
      </div>
      <dl className="card-facts">
        <div>
          <dt>{t("card.cardNumber")}</dt>
          <dd className="card-number">{card.cardNumber}</dd>
        </div>
        <div>
          <dt>{t("card.balance")}</dt>
          <dd className="card-balance" data-testid="card-balance">
            {t(`common:units.${card.unit}`, { count: card.balance })}
          </dd>
        </div>
      </dl>
      {card.unit === "stamps" && card.stampsPerCard ? (
        <StampGrid collected={card.balance} perCard={card.stampsPerCard} />
      ) : null}
      {card.pointsExpiry ? (
        <p className="muted card-expiry" data-testid="points-expiry">
          {card.pointsExpiry.rule === "none"
            ? t("card.pointsExpiry.none")
            : t(`card.pointsExpiry.${card.pointsExpiry.rule}`, { count: card.pointsExpiry.months })}
        </p>
      ) : null}
    </div>
  );
}
