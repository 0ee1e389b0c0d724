import { describe, expect, it } from "vitest";
import { csvCell, csvDialect, csvLine, spreadsheetDateTime } from "./csv";

describe("csv", () => {
  it("quotes separators and quotes, and defuses formulas", () => {
    expect(csvCell('Muller, "Anne"')).toBe('"Muller, ""Anne"""');
    expect(csvCell('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvCell("+352621123456")).toBe("'+352621123456");
    expect(csvCell(-5)).toBe("-5");
    expect(csvLine(["a", null, 3])).toBe("a,,3\r\n");
  });

  it("separates with a semicolon where the reader's decimal separator is a comma", () => {
    expect(csvDialect("fr").separator).toBe(";");
    expect(csvDialect("de").separator).toBe(";");
    expect(csvDialect("lb").separator).toBe(";");
    expect(csvDialect("en").separator).toBe(",");
    expect(csvLine(["1,5", "a;b", 2], csvDialect("de"))).toBe('"1,5";"a;b";2\r\n');
  });

  it("writes dates and times on the store's clock, in a form every spreadsheet reads as a date", () => {
    const instant = new Date("2026-07-01T22:30:00Z");
    expect(spreadsheetDateTime(instant, "Europe/Luxembourg")).toBe("2026-07-02 00:30");
    expect(spreadsheetDateTime(instant, "America/New_York")).toBe("2026-07-01 18:30");
  });
});
