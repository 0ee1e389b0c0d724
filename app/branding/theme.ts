import { brandPalette, isHexColor, normalizeHex } from "./contrast";

/**
 * The storefront's brand colours as a stylesheet: the CSP allows styles from 'self' only (no inline
 * style attributes), so a page links `brandStylesheetPath(color)` instead of carrying the colours.
 * The colour is the whole input, so the file never changes for a path and is cached for good.
 */
export function brandStylesheetPath(color: string): string {
  return `/brand/${normalizeHex(color).slice(1)}.css`;
}

/** `7b2d5b.css` → `#7b2d5b`; anything else is no brand stylesheet. */
export function colorOfBrandStylesheet(file: string): string | null {
  const match = /^([0-9a-f]{6})\.css$/.exec(file);
  return match?.[1] && isHexColor(match[1]) ? `#${match[1]}` : null;
}

/** Custom properties styles.css reads (`--brand`, `--on-brand`, `--accent`, `--accent-ink`). */
export function brandStylesheet(color: string): string {
  const palette = brandPalette(color);
  return `body {
  --brand: ${palette.brand};
  --on-brand: ${palette.onBrand};
  --accent: ${palette.accentText};
  --accent-ink: ${palette.onAccentText};
}
`;
}
