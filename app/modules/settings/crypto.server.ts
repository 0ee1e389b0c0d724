import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

const version = "v1";

/** AES-256 key for secrets at rest, derived from APP_SECRET so no second key must be managed. */
function settingsKey(appSecret: string): Buffer {
  return Buffer.from(hkdfSync("sha256", appSecret, "rewardflow", "admin-settings/v1", 32));
}

/** AES-256-GCM with a random 96-bit nonce: `v1.<nonce>.<tag>.<ciphertext>`, base64url parts. */
export function encryptSecret(appSecret: string, plaintext: string): string {
  const nonce = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", settingsKey(appSecret), nonce);
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [version, ...[nonce, cipher.getAuthTag(), ciphertext].map((part) => part.toString("base64url"))].join(".");
}

export class UnreadableSecretError extends Error {
  override name = "UnreadableSecretError";
}

/** Decrypts what encryptSecret wrote; a changed APP_SECRET or a tampered value is refused. */
export function decryptSecret(appSecret: string, sealed: string): string {
  const [tag, nonce, authTag, ciphertext] = sealed.split(".");
  if (tag !== version || !nonce || !authTag || ciphertext === undefined) {
    throw new UnreadableSecretError("stored secret has an unknown format");
  }
  try {
    // A full 16-byte tag only: GCM would otherwise accept a 4-byte one, which is cheap to forge.
    const decipher = createDecipheriv("aes-256-gcm", settingsKey(appSecret), Buffer.from(nonce, "base64url"), {
      authTagLength: 16,
    });
    decipher.setAuthTag(Buffer.from(authTag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new UnreadableSecretError("stored secret cannot be decrypted with the current APP_SECRET");
  }
}
