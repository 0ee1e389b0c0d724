/**
 * WCAG 2.x contrast for a merchant's brand colour: relative luminance, contrast ratio, and the
 * colours the storefront derives so that text stays readable (AA, 4.5:1) whatever colour is picked.
 * Shared by the server (storefront theme, emails) and the browser (the program form's live check).
 */

/** AA for normal-size text. */
export const minimumTextContrast = 4.5;

const hexPattern = /^#?([0-9a-f]{6})$/i;

export function isHexColor(value: string): boolean {
  return hexPattern.test(value);
}

/** `#rrggbb` (lower case) from `#RRGGBB` or `rrggbb`; throws on anything else. */
export function normalizeHex(value: string): string {
  const match = hexPattern.exec(value.trim());
  if (!match?.[1]) throw new Error(`not a #rrggbb colour: ${value}`);
  return `#${match[1].toLowerCase()}`;
}

type Rgb = [number, number, number];

function toRgb(hex: string): Rgb {
  const value = normalizeHex(hex);
  return [1, 3, 5].map((start) => Number.parseInt(value.slice(start, start + 2), 16)) as Rgb;
}

function toHex(rgb: Rgb): string {
  return `#${rgb
    .map((channel) =>
      Math.round(Math.min(255, Math.max(0, channel)))
        .toString(16)
        .padStart(2, "0"),
    )
    .join("")}`;
}

/** WCAG relative luminance: 0 for black, 1 for white. */
export function relativeLuminance(hex: string): number {
  const [r, g, b] = toRgb(hex).map((channel) => {
    const c = channel / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as Rgb;
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG contrast ratio between two colours, from 1 (same) to 21 (black on white). */
export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

export const black = "#000000";
export const white = "#ffffff";

/** Black or white, whichever reads better on `background` (one of them always reaches 4.5:1). */
export function readableTextOn(background: string): typeof black | typeof white {
  return contrastRatio(background, white) >= contrastRatio(background, black) ? white : black;
}

/**
 * `color` itself when it already reaches `ratio` against every background, else the same hue
 * darkened step by step (mixed with black) until it does: the merchant's colour as text or links.
 */
export function darkenUntilReadable(color: string, backgrounds: readonly string[], ratio = minimumTextContrast) {
  const rgb = toRgb(color);
  for (let step = 0; step <= 100; step++) {
    const candidate = toHex(rgb.map((channel) => channel * (1 - step / 100)) as Rgb);
    if (backgrounds.every((background) => contrastRatio(candidate, background) >= ratio)) return candidate;
  }
  return black;
}

/** The page backgrounds the storefront puts accent-coloured text on (styles.css: --paper, --wash). */
export const pageBackgrounds = ["#ffffff", "#f4f4f5"] as const;

/** What the storefront and the emails paint with one brand colour. */
export interface BrandPalette {
  /** The merchant's colour as picked: header and button backgrounds. */
  brand: string;
  /** Text on `brand` (black or white). */
  onBrand: string;
  /** The colour for links and accent text on the page's light backgrounds (≥ 4.5:1). */
  accentText: string;
  /** Text on `accentText` used as a background (black or white). */
  onAccentText: string;
}

export function brandPalette(color: string): BrandPalette {
  const brand = normalizeHex(color);
  const accentText = darkenUntilReadable(brand, pageBackgrounds);
  return { brand, onBrand: readableTextOn(brand), accentText, onAccentText: readableTextOn(accentText) };
}
