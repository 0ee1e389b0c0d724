import { useTranslation } from "react-i18next";
import { Link, useLocation } from "react-router";

/** Previous / next links for a server-paginated table; keeps the other query parameters. */
export function Pagination({ page, pages }: { page: number; pages: number }) {
  const { t } = useTranslation("console");
  const location = useLocation();
  if (pages <= 1) return null;
  const hrefFor = (target: number) => {
    const params = new URLSearchParams(location.search);
    params.set("page", String(target));
    return `${location.pathname}?${params}`;
  };
  return (
    <nav className="pagination" aria-label={t("cards.pagination")}>
      {page > 1 ? <Link to={hrefFor(page - 1)}>{t("cards.previous")}</Link> : null}
      <span>{t("cards.pageOf", { page, pages })}</span>
      {page < pages ? <Link to={hrefFor(page + 1)}>{t("cards.next")}</Link> : null}
    </nav>
  );
}
