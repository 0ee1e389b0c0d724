import { createHash, randomBytes, randomInt } from "node:crypto";

/** Crockford's base32: no I, L, O or U, so a code read aloud or typed from a screen is unambiguous. */
const crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** A one-time pairing code of 8 Crockford characters (40 bits), shown as `XXXX-XXXX`. */
export function generatePairingCode(): string {
  let code = "";
  for (let i = 0; i < 8; i++) code += crockford[randomInt(crockford.length)];
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/**
 * A typed or scanned pairing code in its canonical form, or null: case, spaces and hyphens do not
 * matter, and the letters Crockford reads as digits (O → 0, I and L → 1) are read that way.
 */
export function normalizePairingCode(input: string): string | null {
  const code = input.toUpperCase().replace(/[\s-]/g, "").replace(/O/g, "0").replace(/[IL]/g, "1");
  if (code.length !== 8) return null;
  for (const char of code) if (!crockford.includes(char)) return null;
  return code;
}

/** A device token: 32 random bytes, base64url. Only its hash is stored. */
export function generateDeviceToken(): string {
  return randomBytes(32).toString("base64url");
}

/** SHA-256 (hex) of a pairing code or device token, the only form either is stored in. */
export function secretHash(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}
