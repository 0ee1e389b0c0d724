import { createPrivateKey } from "node:crypto";
import { isGoogleEndpointUrl } from "~/google-endpoints";

/** The parts of a Google service-account key file (the JSON the Cloud console gives) that Wallet uses. */
export interface ServiceAccountKey {
  clientEmail: string;
  privateKey: string;
  privateKeyId: string | null;
  /** Where access tokens are requested: the key file's `token_uri`. */
  tokenUri: string;
}

export const keyProblems = [
  "notJson",
  "notServiceAccount",
  "missingClientEmail",
  "unreadablePrivateKey",
  "badTokenUri",
] as const;
export type KeyProblem = (typeof keyProblems)[number];

/** Why a key file is refused, in the words of the boot error line. */
export const keyProblemText: Record<KeyProblem, string> = {
  notJson: "is not a JSON document",
  notServiceAccount: 'is not a service-account key (its "type" must be "service_account")',
  missingClientEmail: "has no client_email",
  unreadablePrivateKey: "has no readable RSA private_key (PEM)",
  badTokenUri: "has a token_uri that is not an https URL (http only on this machine)",
};

/** Reads a key file's text; the private key must be an RSA key Node can load (Wallet signs RS256). */
export function parseServiceAccountKey(text: string): { key: ServiceAccountKey } | { problem: KeyProblem } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { problem: "notJson" };
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) return { problem: "notJson" };
  const file = json as Record<string, unknown>;
  if (file.type !== "service_account") return { problem: "notServiceAccount" };
  const clientEmail = typeof file.client_email === "string" ? file.client_email.trim() : "";
  if (!/^[^\s@]+@[^\s@]+$/.test(clientEmail)) return { problem: "missingClientEmail" };
  const privateKey = typeof file.private_key === "string" ? file.private_key : "";
  try {
    if (createPrivateKey(privateKey).asymmetricKeyType !== "rsa") return { problem: "unreadablePrivateKey" };
  } catch {
    return { problem: "unreadablePrivateKey" };
  }
  const tokenUri = typeof file.token_uri === "string" ? file.token_uri : "https://oauth2.googleapis.com/token";
  if (!isGoogleEndpointUrl(tokenUri)) return { problem: "badTokenUri" };
  const privateKeyId = typeof file.private_key_id === "string" && file.private_key_id ? file.private_key_id : null;
  return { key: { clientEmail, privateKey, privateKeyId, tokenUri } };
}
