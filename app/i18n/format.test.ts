import { describe, expect, it } from "vitest";
import { formatDate, formatNumber } from "./format";

describe("formatDate", () => {
  it("writes the first of the month as an ordinal in French, and only the first", () => {
    const options = { timeZone: "Europe/Luxembourg" };
    expect(formatDate("fr", "2026-12-01T12:00:00Z", options)).toBe("1er déc. 2026");
    expect(formatDate("fr", "2026-12-01T12:00:00Z", { ...options, withTime: true })).toMatch(/^1er déc\. 2026/);
    expect(formatDate("fr", "2026-12-11T12:00:00Z", options)).toBe("11 déc. 2026");
    expect(formatDate("de", "2026-12-01T12:00:00Z", options)).toBe("01.12.2026");
    expect(formatDate("en", "2026-12-01T12:00:00Z", options)).toBe("1 Dec 2026");
  });
});

describe("Luxembourgish without the browser's ICU", () => {
  const shapes = ["medium", "long", "dayMonth", "monthYear", "longMonthYear"] as const;
  const nodeOptions: Record<(typeof shapes)[number], Intl.DateTimeFormatOptions> = {
    medium: { dateStyle: "medium" },
    long: { dateStyle: "long" },
    dayMonth: { day: "numeric", month: "short" },
    monthYear: { month: "short", year: "numeric" },
    longMonthYear: { month: "long", year: "numeric" },
  };

  it("writes every month and shape as Node's Luxembourgish ICU does", () => {
    for (let month = 0; month < 12; month += 1) {
      const date = new Date(Date.UTC(2026, month, month + 1, 8, 5));
      for (const shape of shapes) {
        const expected = new Intl.DateTimeFormat("lb-LU", { ...nodeOptions[shape], timeZone: "UTC" }).format(date);
        expect(formatDate("lb", date, { shape, timeZone: "UTC" })).toBe(expected);
      }
      const withTime = new Intl.DateTimeFormat("lb-LU", {
        dateStyle: "medium",
        timeStyle: "short",
        timeZone: "Europe/Luxembourg",
      }).format(date);
      expect(formatDate("lb", date, { withTime: true, timeZone: "Europe/Luxembourg" })).toBe(withTime);
    }
  });

  it("writes numbers as Node's Luxembourgish ICU does, without asking Intl for lb", () => {
    const samples: [number, Intl.NumberFormatOptions][] = [
      [1234567.891, {}],
      [1234.5, { style: "currency", currency: "EUR" }],
      [1234.5, { style: "currency", currency: "EUR", maximumFractionDigits: 0 }],
      [0.237, { style: "percent", maximumFractionDigits: 0 }],
      [-12, { signDisplay: "exceptZero" }],
    ];
    for (const [value, options] of samples) {
      expect(formatNumber("lb", value, options)).toBe(new Intl.NumberFormat("lb-LU", options).format(value));
    }
    expect(formatNumber("lb", 0, { style: "currency", currency: "EUR", maximumFractionDigits: 0 })).toBe("0\u00a0€");
  });

  it("gives the same lb strings when the runtime has no Luxembourgish at all", () => {
    const original = Intl.DateTimeFormat;
    const originalNumber = Intl.NumberFormat;
    const refuseLb = <T extends object>(Base: T) =>
      new Proxy(Base, {
        construct(target, args) {
          const [tag, ...rest] = args as [string | undefined, ...unknown[]];
          if (typeof tag === "string" && tag.startsWith("lb")) throw new Error(`lb asked of Intl: ${tag}`);
          return Reflect.construct(target as never, [tag, ...rest]);
        },
      });
    Intl.DateTimeFormat = refuseLb(original);
    Intl.NumberFormat = refuseLb(originalNumber);
    try {
      expect(formatDate("lb", "2026-03-02T10:00:00Z", { timeZone: "Europe/Luxembourg", withTime: true })).toBe(
        "2. Mäe. 2026 11:00",
      );
      expect(formatNumber("lb", 0.5, { style: "percent" })).toBe("50\u00a0%");
    } finally {
      Intl.DateTimeFormat = original;
      Intl.NumberFormat = originalNumber;
    }
  });
});

describe("formatDate shapes", () => {
  it("labels chart periods in each language", () => {
    const date = "2026-12-01T00:00:00Z";
    expect(formatDate("fr", date, { shape: "monthYear", timeZone: "UTC" })).toBe("déc. 2026");
    expect(formatDate("de", date, { shape: "longMonthYear", timeZone: "UTC" })).toBe("Dezember 2026");
    expect(formatDate("fr", date, { shape: "long", timeZone: "UTC" })).toBe("1er décembre 2026");
    expect(formatDate("en", date, { shape: "dayMonth", timeZone: "UTC" })).toBe("1 Dec");
  });
});
