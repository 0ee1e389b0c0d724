import { describe, expect, it } from "vitest";
import { csvCell, csvLine } from "./csv";

describe("csv", () => {
  it("quotes separators and quotes, and defuses formulas", () => {
    expect(csvCell('Muller, "Anne"')).toBe('"Muller, ""Anne"""');
    expect(csvCell('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvCell("+352621123456")).toBe("'+352621123456");
    expect(csvCell(-5)).toBe("-5");
    expect(csvLine(["a", null, 3])).toBe("a,,3\r\n");
  });
});
