import { describe, expect, it } from "vitest";
import {
  brandPalette,
  contrastRatio,
  darkenUntilReadable,
  isHexColor,
  minimumTextContrast,
  normalizeHex,
  pageBackgrounds,
  readableTextOn,
  relativeLuminance,
} from "./contrast";

describe("relative luminance and contrast (WCAG 2.x)", () => {
  it("gives black 0 and white 1, with the sRGB weights", () => {
    expect(relativeLuminance("#000000")).toBe(0);
    expect(relativeLuminance("#ffffff")).toBeCloseTo(1, 10);
    expect(relativeLuminance("#ff0000")).toBeCloseTo(0.2126, 4);
    expect(relativeLuminance("#00ff00")).toBeCloseTo(0.7152, 4);
    expect(relativeLuminance("#0000ff")).toBeCloseTo(0.0722, 4);
  });

  it("measures the well-known pairs", () => {
    expect(contrastRatio("#000000", "#ffffff")).toBeCloseTo(21, 5);
    expect(contrastRatio("#ffffff", "#000000")).toBeCloseTo(21, 5);
    expect(contrastRatio("#1f4e79", "#1f4e79")).toBe(1);
    // #767676 is the lightest grey that passes AA on white; #777777 just fails.
    expect(contrastRatio("#767676", "#ffffff")).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio("#777777", "#ffffff")).toBeLessThan(4.5);
  });

  it("accepts #rrggbb in either case and refuses anything else", () => {
    expect(normalizeHex("#7B2D5B")).toBe("#7b2d5b");
    expect(normalizeHex("00607a")).toBe("#00607a");
    expect(isHexColor("#abc")).toBe(false);
    expect(isHexColor("red")).toBe(false);
    expect(() => normalizeHex("url(x)")).toThrow();
  });
});

describe("text on a brand colour", () => {
  it("picks white on dark colours and black on light ones", () => {
    expect(readableTextOn("#1f4e79")).toBe("#ffffff");
    expect(readableTextOn("#ffeb3b")).toBe("#000000");
    expect(readableTextOn("#ffffff")).toBe("#000000");
  });

  it("darkens a light accent until it reads on the page backgrounds, and keeps a dark one as it is", () => {
    expect(darkenUntilReadable("#1f4e79", pageBackgrounds)).toBe("#1f4e79");
    const yellow = darkenUntilReadable("#ffeb3b", pageBackgrounds);
    expect(yellow).not.toBe("#ffeb3b");
    for (const background of pageBackgrounds) {
      expect(contrastRatio(yellow, background)).toBeGreaterThanOrEqual(minimumTextContrast);
    }
    // Darkened, not replaced: the hue survives (red stays the largest channel of an orange).
    const orange = darkenUntilReadable("#ff9900", pageBackgrounds);
    expect(Number.parseInt(orange.slice(1, 3), 16)).toBeGreaterThan(Number.parseInt(orange.slice(3, 5), 16));
  });

  it("keeps AA for every colour a merchant can pick (a grid over the RGB cube)", () => {
    const steps = [0, 17, 34, 51, 68, 85, 102, 119, 136, 153, 170, 187, 204, 221, 238, 255];
    const hex = (n: number) => n.toString(16).padStart(2, "0");
    const failures: string[] = [];
    let checked = 0;
    for (const r of steps)
      for (const g of steps)
        for (const b of steps) {
          const color = `#${hex(r)}${hex(g)}${hex(b)}`;
          const palette = brandPalette(color);
          const ratios = [
            contrastRatio(palette.onBrand, palette.brand),
            contrastRatio(palette.onAccentText, palette.accentText),
            ...pageBackgrounds.map((background) => contrastRatio(palette.accentText, background)),
          ];
          if (ratios.some((ratio) => ratio < minimumTextContrast)) failures.push(color);
          checked++;
        }
    expect(failures).toEqual([]);
    expect(checked).toBe(4096);
  });
});
