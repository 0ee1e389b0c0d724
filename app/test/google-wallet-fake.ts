import { createPublicKey, generateKeyPairSync, type KeyObject, randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { jwtVerify } from "jose";

/** A request the fake received, after authentication. */
export interface FakeWalletRequest {
  method: string;
  path: string;
  body: Record<string, unknown> | null;
}

export interface FakeGoogleWallet {
  /** The API base to set as GOOGLE_WALLET_API_URL. */
  apiUrl: string;
  /** The token endpoint to put in a key file's token_uri. */
  tokenUri: string;
  classes: Map<string, Record<string, unknown>>;
  objects: Map<string, Record<string, unknown>>;
  messages: { objectId: string; message: Record<string, unknown>; receivedAt: number }[];
  /** Authenticated API calls in order (token requests not included). */
  requests: FakeWalletRequest[];
  tokensIssued: number;
  /** A service-account key file (JSON text) whose public key the fake trusts. */
  newKeyFile(options?: { clientEmail?: string }): { json: string; publicKey: KeyObject; clientEmail: string };
  /** The next `count` requests to the API (or to the token endpoint) answer `status`. */
  failNext(target: "api" | "token", status: number, count?: number): void;
  reset(): void;
  close(): Promise<void>;
}

const walletScope = "https://www.googleapis.com/auth/wallet_object.issuer";

/** A service-account key file (JSON text) with a fresh RSA key, asking `tokenUri` for tokens. */
export function generateServiceAccountKey(tokenUri: string, clientEmail?: string) {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const email = clientEmail ?? `wallet-${randomBytes(4).toString("hex")}@rewardflow-test.iam.gserviceaccount.com`;
  const json = JSON.stringify({
    type: "service_account",
    project_id: "rewardflow-test",
    private_key_id: randomBytes(20).toString("hex"),
    private_key: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    client_email: email,
    client_id: "1234567890",
    token_uri: tokenUri,
  });
  return { json, publicKey, clientEmail: email };
}

/**
 * Google's token endpoint and the Wallet REST API, on loopback: it checks the JWT assertion's
 * signature with the key's public key and its audience, hands out bearer tokens, and keeps
 * classes, objects and their messages in memory (409 on a second insert, 404 on a patch of
 * nothing, 429 on a fourth notifying message in 24 hours, as Google answers).
 */
export async function startFakeGoogleWallet(): Promise<FakeGoogleWallet> {
  const publicKeys = new Map<string, KeyObject>();
  const tokens = new Set<string>();
  const failures = { api: [] as number[], token: [] as number[] };
  const state = {
    classes: new Map<string, Record<string, unknown>>(),
    objects: new Map<string, Record<string, unknown>>(),
    messages: [] as { objectId: string; message: Record<string, unknown>; receivedAt: number }[],
    requests: [] as FakeWalletRequest[],
    tokensIssued: 0,
  };
  let origin = "";

  const server = http.createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const url = new URL(request.url ?? "/", origin);
    const send = (status: number, body: unknown) => {
      response.writeHead(status, { "content-type": "application/json" });
      response.end(JSON.stringify(body));
    };
    const apiError = (status: number, message: string) => send(status, { error: { code: status, message } });

    if (url.pathname === "/token" && request.method === "POST") {
      const failure = failures.token.shift();
      if (failure) return send(failure, { error: "injected", error_description: "failure on demand" });
      const form = new URLSearchParams(raw);
      if (form.get("grant_type") !== "urn:ietf:params:oauth:grant-type:jwt-bearer") {
        return send(400, { error: "unsupported_grant_type" });
      }
      const assertion = form.get("assertion") ?? "";
      const [, payloadPart = ""] = assertion.split(".");
      let issuer = "";
      try {
        issuer = String(JSON.parse(Buffer.from(payloadPart, "base64url").toString("utf8")).iss ?? "");
      } catch {
        return send(400, { error: "invalid_grant", error_description: "unreadable assertion" });
      }
      const key = publicKeys.get(issuer);
      if (!key) return send(400, { error: "invalid_grant", error_description: "unknown service account" });
      try {
        const { payload } = await jwtVerify(assertion, key, { audience: `${origin}/token`, algorithms: ["RS256"] });
        if (payload.scope !== walletScope) throw new Error("scope");
      } catch {
        return send(400, { error: "invalid_grant", error_description: "Invalid JWT Signature." });
      }
      const token = randomBytes(16).toString("hex");
      tokens.add(token);
      state.tokensIssued += 1;
      return send(200, { access_token: token, expires_in: 3600, token_type: "Bearer" });
    }

    // Control endpoints for a test in another process (the browser journeys): trust a key, fail on
    // demand, read what the app stored.
    if (url.pathname === "/_fake/keys" && request.method === "POST") {
      const { clientEmail, publicKeyPem } = JSON.parse(raw) as { clientEmail: string; publicKeyPem: string };
      publicKeys.set(clientEmail, createPublicKey(publicKeyPem));
      return send(200, {});
    }
    if (url.pathname === "/_fake/fail" && request.method === "POST") {
      const { target, status, count } = JSON.parse(raw) as { target: "api" | "token"; status: number; count?: number };
      for (let i = 0; i < (count ?? 1); i += 1) failures[target].push(status);
      return send(200, {});
    }
    if (url.pathname === "/_fake/objects" && request.method === "GET") {
      return send(200, { objects: [...state.objects.values()], classes: [...state.classes.values()] });
    }
    // What Google does when a holder saves a full save link: the objects in it come into being.
    if (url.pathname === "/_fake/save" && request.method === "POST") {
      const { objects } = JSON.parse(raw) as { objects: Record<string, unknown>[] };
      for (const object of objects) state.objects.set(String(object.id), { ...object });
      return send(200, {});
    }
    if (url.pathname === "/_fake/requests" && request.method === "GET") {
      return send(200, { requests: state.requests, messages: state.messages });
    }

    const prefix = "/walletobjects/v1/";
    if (!url.pathname.startsWith(prefix)) return apiError(404, "not found");
    const failure = failures.api.shift();
    if (failure) return apiError(failure, "failure on demand");
    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? "")?.[1];
    if (!bearer || !tokens.has(bearer)) return apiError(401, "Request had invalid authentication credentials.");
    let body: Record<string, unknown> | null = null;
    if (raw) {
      try {
        body = JSON.parse(raw);
      } catch {
        return apiError(400, "Invalid JSON payload received.");
      }
    }
    const path = url.pathname.slice(prefix.length);
    state.requests.push({ method: request.method ?? "", path: `${path}${url.search}`, body });
    const [resource = "", rawId, action] = path.split("/");
    const store = resource === "loyaltyClass" ? state.classes : resource === "loyaltyObject" ? state.objects : null;
    if (!store) return apiError(404, `unknown resource ${resource}`);
    const id = rawId ? decodeURIComponent(rawId) : undefined;
    if (request.method === "GET" && !id) {
      const issuerId = url.searchParams.get("issuerId") ?? "";
      const resources = [...store.values()].filter((item) => String(item.id).startsWith(`${issuerId}.`));
      return send(200, { resources, pagination: { resultsPerPage: resources.length } });
    }
    if (request.method === "POST" && !id) {
      const itemId = String(body?.id ?? "");
      if (!itemId) return apiError(400, "id is required");
      if (store.has(itemId)) return apiError(409, `Resource already exists: ${itemId}`);
      if (resource === "loyaltyObject" && !state.classes.has(String(body?.classId))) {
        return apiError(404, `class ${String(body?.classId)} not found`);
      }
      store.set(itemId, { ...body });
      return send(200, body);
    }
    if (!id || !store.has(id)) return apiError(404, `Resource not found: ${id ?? ""}`);
    if (request.method === "PATCH" && !action) {
      const merged = { ...store.get(id), ...body, id };
      store.set(id, merged);
      return send(200, merged);
    }
    if (request.method === "PUT" && !action) {
      // Google's update: the resource is replaced whole, fields left out are gone.
      store.set(id, { ...body, id });
      return send(200, store.get(id));
    }
    if (request.method === "POST" && action === "addMessage") {
      const message = (body?.message ?? {}) as Record<string, unknown>;
      const existing = store.get(id) ?? {};
      // Google notifies three messages per pass in 24 hours and refuses a fourth.
      const dayAgo = Date.now() - 24 * 3600 * 1000;
      const notifying = state.messages.filter(
        (sent) => sent.objectId === id && sent.message.messageType === "TEXT_AND_NOTIFY" && sent.receivedAt > dayAgo,
      );
      if (message.messageType === "TEXT_AND_NOTIFY" && notifying.length >= 3) {
        return apiError(429, "QuotaExceededException: too many notifying messages for this pass");
      }
      state.messages.push({ objectId: id, message, receivedAt: Date.now() });
      const resource = { ...existing, messages: [...((existing.messages as unknown[]) ?? []), message] };
      store.set(id, resource);
      return send(200, { resource });
    }
    if (request.method === "GET" && !action) return send(200, store.get(id));
    return apiError(405, "method not allowed");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return Object.assign(state, {
    apiUrl: `${origin}/walletobjects/v1`,
    tokenUri: `${origin}/token`,
    newKeyFile(options: { clientEmail?: string } = {}) {
      const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
      const clientEmail =
        options.clientEmail ?? `wallet-${randomBytes(4).toString("hex")}@rewardflow-test.iam.gserviceaccount.com`;
      publicKeys.set(clientEmail, publicKey);
      const json = JSON.stringify({
        type: "service_account",
        project_id: "rewardflow-test",
        private_key_id: randomBytes(20).toString("hex"),
        private_key: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
        client_email: clientEmail,
        client_id: "1234567890",
        token_uri: `${origin}/token`,
      });
      return { json, publicKey, clientEmail };
    },
    failNext(target: "api" | "token", status: number, count = 1) {
      for (let i = 0; i < count; i += 1) failures[target].push(status);
    },
    reset() {
      state.classes.clear();
      state.objects.clear();
      state.messages.length = 0;
      state.requests.length = 0;
      failures.api.length = 0;
      failures.token.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
