import { useTranslation } from "react-i18next";
import { brandPalette, contrastRatio, isHexColor, pageBackgrounds } from "~/branding/contrast";

const ratio = (value: number) => (Math.floor(value * 10) / 10).toFixed(1);

/**
 * What a brand colour gives on the storefront, updated as the colour changes: the header and button
 * samples (SVG attributes, which the CSP allows where style attributes are refused) and the contrast
 * of their text, in words.
 */
export function BrandContrastCheck({ color, id }: { color: string | undefined; id: string }) {
  const { t } = useTranslation("console");
  if (!color || !isHexColor(color)) return null;
  const palette = brandPalette(color);
  const darkened = palette.accentText !== palette.brand;
  const onPage = Math.min(...pageBackgrounds.map((background) => contrastRatio(palette.brand, background)));
  return (
    <div className="brand-check" id={id} aria-live="polite">
      <p className="brand-check-heading">{t("programBranding.contrastHeading")}</p>
      <svg
        className="brand-sample"
        viewBox="0 0 320 56"
        width="320"
        height="56"
        role="img"
        aria-label={t("programBranding.sampleLabel")}
      >
        <rect x="0" y="0" width="150" height="56" rx="6" fill={palette.brand} />
        <text x="75" y="34" textAnchor="middle" fontSize="16" fontWeight="700" fill={palette.onBrand}>
          {t("programBranding.sampleHeader")}
        </text>
        <rect x="170" y="8" width="150" height="40" rx="6" fill={palette.accentText} />
        <text x="245" y="33" textAnchor="middle" fontSize="15" fontWeight="700" fill={palette.onAccentText}>
          {t("programBranding.sampleButton")}
        </text>
      </svg>
      <ul className="brand-check-results">
        <li data-testid="contrast-on-brand">
          {t(palette.onBrand === "#ffffff" ? "programBranding.onBrandWhite" : "programBranding.onBrandBlack", {
            ratio: ratio(contrastRatio(palette.brand, palette.onBrand)),
          })}
        </li>
        <li data-testid="contrast-accent">
          {darkened
            ? t("programBranding.accentDarkened", {
                original: ratio(onPage),
                color: palette.accentText,
                ratio: ratio(Math.min(...pageBackgrounds.map((b) => contrastRatio(palette.accentText, b)))),
              })
            : t("programBranding.accentAsIs", { ratio: ratio(onPage) })}
        </li>
      </ul>
    </div>
  );
}

/** The logo as the storefront's header shows it, when the address is one the form accepts. */
export function LogoPreview({ url, storeName }: { url: string | undefined; storeName: string }) {
  const { t } = useTranslation("console");
  const usable = url && (/^https:\/\/[^\s]+$/i.test(url) || /^\/(?![/\\])\S*$/.test(url));
  return (
    <div className="logo-preview">
      <p className="brand-check-heading">{t("programBranding.logoPreview")}</p>
      {usable ? (
        <p className="logo-preview-frame">
          <img
            src={url}
            alt={t("programBranding.logoAlt", { name: storeName })}
            width="40"
            height="40"
            referrerPolicy="no-referrer"
          />
          <span>{storeName}</span>
        </p>
      ) : (
        <p className="muted">{t("programBranding.logoNone")}</p>
      )}
    </div>
  );
}
