import type { z } from "zod";
import type {
  batchResponse,
  bootstrapResponse,
  cardResponse,
  failedAttemptsResponse,
  pairResponse,
  transactionRequest,
  transactionResult,
  verifyPinResponse,
} from "~/http/terminal-api/contract";

/** The terminal API's base path (contract.ts `terminalApiPrefix`; not imported, to keep zod out of the bundle). */
const apiPrefix = "/api/terminal/v1";
/** Sent as X-Terminal-Version: the merchant portal shows it per device. */
export const terminalAppVersion = "web-1.0";

export type PairResponse = z.infer<typeof pairResponse>;
export type Bootstrap = z.infer<typeof bootstrapResponse>;
export type CounterStaffMember = Bootstrap["counterStaff"][number];
export type Program = NonNullable<Bootstrap["program"]>;
export type Reward = Program["rewards"][number];
export type Card = z.infer<typeof cardResponse>["card"];
export type TransactionRequest = z.infer<typeof transactionRequest>;
export type TransactionResult = z.infer<typeof transactionResult>;
export type BatchResponse = z.infer<typeof batchResponse>;
export type FailedAttemptsResponse = z.infer<typeof failedAttemptsResponse>;
export type VerifyPinResponse = z.infer<typeof verifyPinResponse>;

/** The server answered with its error shape: a stable code and a message in the request's language. */
export class TerminalApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message || code);
  }

  /** Worth trying again later: the server is overloaded or failed, the request itself was fine. */
  get retryable(): boolean {
    return this.status === 429 || this.status >= 500;
  }

  /** The device token no longer works: the terminal must forget everything and pair again. */
  get deviceCutOff(): boolean {
    return this.code === "device_revoked" || this.code === "device_unauthorized";
  }
}

/** The request never got an answer: offline, or the connection dropped. */
export class NetworkError extends Error {}

export interface TerminalApiOptions {
  token: string | null;
  /** Accept-Language: server messages in the terminal's language. */
  locale: () => string;
  /** X-Terminal-Queue: what waits in the offline queue, shown in the portal. */
  queueCount: () => number;
}

export type TerminalApi = ReturnType<typeof terminalApi>;

/** The calls the web terminal makes, each throwing NetworkError or TerminalApiError. */
export function terminalApi(options: TerminalApiOptions) {
  async function call<T>(method: "GET" | "POST", path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = {
      Accept: "application/json",
      "Accept-Language": options.locale(),
      "X-Terminal-Version": terminalAppVersion,
      "X-Terminal-Queue": String(options.queueCount()),
    };
    if (options.token) headers.Authorization = `Bearer ${options.token}`;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    let response: Response;
    try {
      response = await fetch(`${apiPrefix}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: "no-store",
        credentials: "omit",
      });
    } catch (error) {
      throw new NetworkError(String(error));
    }
    const payload = (await response.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
    if (!response.ok) {
      throw new TerminalApiError(
        response.status,
        payload?.error?.code ?? "internal_error",
        payload?.error?.message ?? response.statusText,
      );
    }
    return payload as T;
  }

  return {
    pair: (code: string, name: string) => call<PairResponse>("POST", "/devices/pair", { code, name }),
    bootstrap: () => call<Bootstrap>("GET", "/bootstrap"),
    verifyPin: (staffId: string, pin: string) =>
      call<VerifyPinResponse>("POST", `/pins/${encodeURIComponent(staffId)}/verify`, { pin }),
    reportFailedAttempts: (staffId: string, count: number, lastAttemptAt: string) =>
      call<FailedAttemptsResponse>("POST", `/pins/${encodeURIComponent(staffId)}/failed-attempts`, {
        count,
        lastAttemptAt,
      }),
    findCard: (code: string) =>
      call<{ card: Card }>("GET", `/cards/${encodeURIComponent(code)}`).then((response) => response.card),
    record: (transaction: TransactionRequest) => call<TransactionResult>("POST", "/transactions", transaction),
    recordBatch: (transactions: TransactionRequest[]) =>
      call<BatchResponse>("POST", "/transactions/batch", { transactions }),
  };
}
