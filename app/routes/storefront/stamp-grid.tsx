import { useTranslation } from "react-i18next";

/** The most stamps drawn; a longer card (up to 100 per program) shows its count in words only. */
export const maxDrawnStamps = 30;

/** A stamp card: one circle per stamp of the card, the collected ones filled; read as "7 of 10 stamps". */
export function StampGrid({ collected, perCard }: { collected: number; perCard: number }) {
  const { t } = useTranslation("storefront");
  const filled = Math.min(collected, perCard);
  const label = t("stampCard.label", { count: filled, total: perCard });
  if (perCard > maxDrawnStamps) return <p className="stamp-caption">{label}</p>;
  return (
    <div className="stamp-card" data-testid="stamp-card">
      <ol className="stamp-grid" role="img" aria-label={label}>
        {Array.from({ length: perCard }, (_, index) => (
          // Stamps have no identity beyond their place on the card.
          // biome-ignore lint/suspicious/noArrayIndexKey: positions
          <li key={index} className={index < filled ? "stamp stamp-filled" : "stamp"}>
            {index < filled ? (
              <svg viewBox="0 0 20 20" aria-hidden="true" focusable="false">
                <path d="M4 10.5l4 4 8-9" fill="none" stroke="currentColor" strokeWidth="2.5" strokeLinecap="round" />
              </svg>
            ) : null}
          </li>
        ))}
      </ol>
      <p className="stamp-caption" aria-hidden="true">
        {label}
      </p>
    </div>
  );
}
