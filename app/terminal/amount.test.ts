import { describe, expect, it } from "vitest";
import { type AmountKey, decimalSeparator, displayEntry, entryCents, formatCents, pressAmountKey } from "./amount";

const type = (keys: AmountKey[]) => keys.reduce(pressAmountKey, "");

describe("the amount keypad", () => {
  it("reads 4 2 , 5 0 as 4250 cents", () => {
    const entry = type(["4", "2", "decimal", "5", "0"]);
    expect(entry).toBe("42.50");
    expect(entryCents(entry)).toBe(4250);
  });

  it("takes one separator and two decimals at most, and no leading zeros", () => {
    expect(type(["0", "0", "7"])).toBe("7");
    expect(type(["decimal", "5"])).toBe("0.5");
    expect(entryCents("0.5")).toBe(50);
    expect(type(["1", "decimal", "decimal", "2", "3", "4"])).toBe("1.23");
    expect(type(["9", "decimal"])).toBe("9.");
    expect(entryCents("9.")).toBe(900);
  });

  it("deletes and clears", () => {
    expect(type(["4", "2", "back"])).toBe("4");
    expect(type(["4", "2", "clear"])).toBe("");
    expect(entryCents("")).toBeNull();
  });

  it("refuses a key that would pass the largest amount the API takes (100 000,00 €)", () => {
    const atMax = type(["1", "0", "0", "0", "0", "0"]);
    expect(entryCents(atMax)).toBe(10_000_000);
    expect(pressAmountKey(atMax, "1")).toBe(atMax);
    expect(pressAmountKey("100000.", "1")).toBe("100000.");
  });

  it("shows the entry and the amount in each locale's number format", () => {
    expect(decimalSeparator("fr")).toBe(",");
    expect(decimalSeparator("de")).toBe(",");
    expect(decimalSeparator("lb")).toBe(",");
    expect(decimalSeparator("en")).toBe(".");
    expect(displayEntry("42.5", "fr")).toBe("42,5");
    expect(displayEntry("", "de")).toBe("0");
    expect(formatCents(4250, "fr")).toMatch(/^42,50\s€$/);
    expect(formatCents(4250, "en")).toBe("€42.50");
    expect(formatCents(123456, "de")).toMatch(/^1\.234,56\s€$/);
  });
});
