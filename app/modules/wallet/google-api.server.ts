import { createPrivateKey } from "node:crypto";
import { SignJWT } from "jose";
import type { ServiceAccountKey } from "~/google-service-account.server";
import type { ReadyWalletConfig } from "./wallet-config.server";

export const walletScope = "https://www.googleapis.com/auth/wallet_object.issuer";
const requestTimeoutMs = 10_000;

/**
 * A refused or failed call to Google. `transient` failures (no answer, 5xx, 429, an expired token)
 * are worth retrying; the others (a 400 on our payload, 403 on an issuer we may not use) are not.
 */
export class WalletApiError extends Error {
  override name = "WalletApiError";
  constructor(
    readonly step: "token" | "api",
    readonly status: number | null,
    message: string,
  ) {
    super(message);
  }
  get transient(): boolean {
    return this.status === null || this.status === 401 || this.status === 429 || this.status >= 500;
  }
}

const tokens = new Map<string, { token: string; expiresAt: number }>();
const tokenCacheKey = (key: ServiceAccountKey) => `${key.tokenUri} ${key.clientEmail} ${key.privateKeyId ?? ""}`;

/** Signs the RS256 assertion that proves the service account to its token endpoint (RFC 7523). */
export function signAssertion(key: ServiceAccountKey, claims: Record<string, unknown>, audience: string) {
  const header = { alg: "RS256", typ: "JWT", ...(key.privateKeyId ? { kid: key.privateKeyId } : {}) };
  return new SignJWT(claims)
    .setProtectedHeader(header)
    .setIssuer(key.clientEmail)
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime("1h")
    .sign(createPrivateKey(key.privateKey));
}

/**
 * An access token for the Wallet scope from the key file's token_uri (the JWT bearer grant), kept
 * until a minute before it expires. `fresh` drops a cached one the API refused.
 */
export async function walletAccessToken(key: ServiceAccountKey, options: { fresh?: boolean } = {}): Promise<string> {
  const cacheKey = tokenCacheKey(key);
  const cached = tokens.get(cacheKey);
  if (cached && !options.fresh && cached.expiresAt - 60_000 > Date.now()) return cached.token;
  const assertion = await signAssertion(key, { scope: walletScope }, key.tokenUri);
  let response: Response;
  try {
    response = await fetch(key.tokenUri, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: new URLSearchParams({ grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer", assertion }),
      signal: AbortSignal.timeout(requestTimeoutMs),
    });
  } catch (error) {
    throw new WalletApiError("token", null, `token endpoint ${key.tokenUri} unreachable: ${(error as Error).message}`);
  }
  const body = (await response.json().catch(() => null)) as {
    access_token?: unknown;
    expires_in?: unknown;
    error?: unknown;
    error_description?: unknown;
  } | null;
  if (!response.ok || typeof body?.access_token !== "string") {
    const reason = [body?.error, body?.error_description].filter((part) => typeof part === "string").join(": ");
    throw new WalletApiError(
      "token",
      response.ok ? 502 : response.status,
      `token endpoint ${key.tokenUri} answered ${response.status}${reason ? ` (${reason})` : ""}`,
    );
  }
  const lifetime = typeof body.expires_in === "number" ? body.expires_in : 3600;
  tokens.set(cacheKey, { token: body.access_token, expiresAt: Date.now() + lifetime * 1000 });
  return body.access_token;
}

export type WalletResource = "loyaltyClass" | "loyaltyObject";

export interface WalletMessage {
  id: string;
  header: string;
  body: string;
  messageType: "TEXT_AND_NOTIFY" | "TEXT";
}

/** The Wallet REST API (GOOGLE_WALLET_API_URL) with the service account's bearer token. */
export class WalletApi {
  constructor(private readonly wallet: Pick<ReadyWalletConfig, "apiUrl" | "key">) {}

  async call<T = unknown>(
    method: "GET" | "POST" | "PATCH" | "PUT",
    path: string,
    body?: unknown,
  ): Promise<{ status: number; json: T }> {
    let refused = false;
    for (;;) {
      const token = await walletAccessToken(this.wallet.key, { fresh: refused });
      let response: Response;
      try {
        response = await fetch(`${this.wallet.apiUrl}/${path}`, {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            accept: "application/json",
            ...(body === undefined ? {} : { "content-type": "application/json" }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(requestTimeoutMs),
        });
      } catch (error) {
        throw new WalletApiError("api", null, `${method} ${path}: Wallet API unreachable: ${(error as Error).message}`);
      }
      // A token revoked or expired early: one more try with a new one.
      if (response.status === 401 && !refused) {
        refused = true;
        continue;
      }
      const json = (await response.json().catch(() => null)) as T;
      if (response.ok || response.status === 409) return { status: response.status, json };
      const message = (json as { error?: { message?: unknown } } | null)?.error?.message;
      throw new WalletApiError(
        "api",
        response.status,
        `${method} ${path}: Wallet API answered ${response.status}${typeof message === "string" ? ` (${message})` : ""}`,
      );
    }
  }

  /** Inserts the class or object, or patches it when it exists (409): the same call for new and old. */
  async upsert(resource: WalletResource, payload: { id: string }): Promise<"inserted" | "updated"> {
    const inserted = await this.call("POST", resource, payload);
    if (inserted.status !== 409) return "inserted";
    const patched = await this.call("PATCH", `${resource}/${encodeURIComponent(payload.id)}`, payload);
    if (patched.status === 409) throw new WalletApiError("api", 409, `PATCH ${resource}/${payload.id}: conflict`);
    return "updated";
  }

  /** The class or object as Google holds it, or null when Google has none by that id. */
  async get<T = Record<string, unknown>>(resource: WalletResource, id: string): Promise<T | null> {
    try {
      return (await this.call<T>("GET", `${resource}/${encodeURIComponent(id)}`)).json;
    } catch (error) {
      if (error instanceof WalletApiError && error.status === 404) return null;
      throw error;
    }
  }

  /** Replaces the object whole (Google's `update`): every field left out is gone afterwards. */
  async replaceObject(payload: { id: string; classId: string; state: "ACTIVE" | "INACTIVE" }) {
    await this.call("PUT", `loyaltyObject/${encodeURIComponent(payload.id)}`, payload);
  }

  /** A message on the pass; TEXT_AND_NOTIFY also notifies the holder's phone (three a day at most). */
  async addMessage(objectId: string, message: WalletMessage) {
    await this.call("POST", `loyaltyObject/${encodeURIComponent(objectId)}/addMessage`, { message });
  }

  /** The issuer's loyalty classes: what "test connection" reads. */
  async listClasses(issuerId: string): Promise<number> {
    const { json } = await this.call<{ resources?: unknown[] }>(
      "GET",
      `loyaltyClass?issuerId=${encodeURIComponent(issuerId)}`,
    );
    return json?.resources?.length ?? 0;
  }
}
