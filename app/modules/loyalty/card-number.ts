import { randomBytes, randomInt } from "node:crypto";

/** Luhn check digit of a string of digits. */
export function luhnCheckDigit(digits: string): string {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return String((10 - (sum % 10)) % 10);
}

export function isValidCardNumber(number: string): boolean {
  return /^\d{16}$/.test(number) && luhnCheckDigit(number.slice(0, -1)) === number.slice(-1);
}

/** 15 random digits and a Luhn check digit, so a mistyped number is caught at the counter. */
export function generateCardNumber(): string {
  let body = String(randomInt(1, 10));
  for (let i = 0; i < 14; i++) body += String(randomInt(0, 10));
  return body + luhnCheckDigit(body);
}

/** "1234 5678 9012 3456" */
export function formatCardNumber(number: string): string {
  return number.replace(/(\d{4})(?=\d)/g, "$1 ");
}

/** Unguessable token of the card's public page and QR code (192 bits). */
export function generatePublicToken(): string {
  return randomBytes(24).toString("base64url");
}
