import { describe, expect, it } from "vitest";
import { formatCardNumber, generateCardNumber, isValidCardNumber, luhnCheckDigit } from "./card-number";

describe("card numbers", () => {
  it("computes the Luhn check digit", () => {
    expect(luhnCheckDigit("7992739871")).toBe("3");
  });
  it("generates valid 16-digit numbers and catches a mistyped digit", () => {
    for (let i = 0; i < 200; i++) {
      const number = generateCardNumber();
      expect(isValidCardNumber(number)).toBe(true);
      const typo = number.slice(0, 5) + ((Number(number[5]) + 1) % 10) + number.slice(6);
      expect(isValidCardNumber(typo)).toBe(false);
    }
  });
  it("groups digits by four", () => {
    expect(formatCardNumber("1234567890123456")).toBe("1234 5678 9012 3456");
  });
});
