import { useTranslation } from "react-i18next";

/**
 * "Add to Google Wallet", drawn after Google's button guidelines (dark, rounded, wallet mark and
 * label in the page's language). Not Google's official artwork: see ADR 024.
 */
export function GoogleWalletButton({ href }: { href: string }) {
  const { t } = useTranslation("storefront");
  return (
    <a className="google-wallet-button" href={href} rel="nofollow" data-testid="google-wallet-button">
      <svg className="google-wallet-mark" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
        <rect x="2" y="5" width="20" height="15" rx="3" fill="#ffffff" />
        <rect x="2" y="5" width="20" height="4" rx="2" fill="#4285f4" />
        <rect x="2" y="8" width="20" height="4" rx="2" fill="#34a853" />
        <rect x="2" y="11" width="20" height="4" rx="2" fill="#fbbc04" />
        <rect x="2" y="14" width="20" height="6" rx="3" fill="#ea4335" />
        <circle cx="17" cy="16.5" r="1.6" fill="#ffffff" />
      </svg>
      <span>{t("wallet.button")}</span>
    </a>
  );
}
