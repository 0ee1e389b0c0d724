import { describe, expect, it } from "vitest";
import { detectLocale } from "./detect";
import { dateFieldOrder } from "./format";
import { locales } from "./locales";

const store = { enabled: [...locales], surfaceDefault: "fr" as const };

describe("detectLocale", () => {
  it("prefers ?lang= and asks to remember it", () => {
    expect(detectLocale({ ...store, query: "de", cookie: "lb", acceptLanguage: "en" })).toEqual({
      locale: "de",
      remember: true,
    });
  });
  it("then the cookie, then Accept-Language among the store's languages", () => {
    expect(detectLocale({ ...store, query: null, cookie: "lb", acceptLanguage: "en" }).locale).toBe("lb");
    expect(
      detectLocale({ ...store, query: null, cookie: undefined, acceptLanguage: "es, de-CH;q=0.8, en;q=0.5" }).locale,
    ).toBe("de");
  });
  it("ignores languages the store has not enabled", () => {
    const signals = { enabled: ["fr", "de"] as const, surfaceDefault: "de" as const };
    expect(
      detectLocale({ ...signals, enabled: [...signals.enabled], query: "en", cookie: "lb", acceptLanguage: "en" }),
    ).toEqual({
      locale: "de",
      remember: false,
    });
  });
  it("falls back to the store default, then English", () => {
    expect(detectLocale({ ...store, query: "xx", cookie: "zz", acceptLanguage: "es" }).locale).toBe("fr");
    expect(
      detectLocale({ enabled: [...locales], query: null, cookie: undefined, acceptLanguage: undefined }).locale,
    ).toBe("en");
  });
});

describe("dateFieldOrder", () => {
  it.each(locales)("puts the day first in %s", (locale) => {
    expect(dateFieldOrder(locale)).toEqual(["day", "month", "year"]);
  });
});
