import { describe, expect, it } from "vitest";
import { formatDate } from "./format";

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
