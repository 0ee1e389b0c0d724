import { describe, expect, it } from "vitest";
import { decryptSecret, encryptSecret, UnreadableSecretError } from "./crypto.server";

const secret = "a".repeat(32);

describe("secrets at rest", () => {
  it("seal with AES-256-GCM under a fresh nonce and open with the same APP_SECRET", () => {
    const first = encryptSecret(secret, "smtp password é");
    const second = encryptSecret(secret, "smtp password é");
    expect(first).not.toContain("smtp password");
    expect(first).not.toBe(second);
    expect(first).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(decryptSecret(secret, first)).toBe("smtp password é");
  });

  it("refuse another APP_SECRET, a tampered value and an unknown format", () => {
    const sealed = encryptSecret(secret, "hunter2");
    expect(() => decryptSecret("b".repeat(32), sealed)).toThrow(UnreadableSecretError);
    const [version, nonce, tag, ciphertext = ""] = sealed.split(".");
    const flipped = `${ciphertext.startsWith("A") ? "B" : "A"}${ciphertext.slice(1)}`;
    expect(() => decryptSecret(secret, [version, nonce, tag, flipped].join("."))).toThrow(UnreadableSecretError);
    expect(() => decryptSecret(secret, "hunter2")).toThrow(UnreadableSecretError);
  });

  it("refuse a truncated authentication tag (a 4-byte tag is easy to forge)", () => {
    const sealed = encryptSecret(secret, "hunter2");
    const [version, nonce, tag = "", ciphertext] = sealed.split(".");
    const short = Buffer.from(tag, "base64url").subarray(0, 4).toString("base64url");
    expect(() => decryptSecret(secret, [version, nonce, short, ciphertext].join("."))).toThrow(UnreadableSecretError);
  });
});
