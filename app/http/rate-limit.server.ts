import { type AppLoadContext, data } from "react-router";
import type { Config } from "~/config.server";
import { hitRateLimit } from "~/modules/ops/rate-limit.server";

/** Sign-in attempts per client address are counted over this window (LOGIN_RATE_LIMIT per window). */
const loginRateWindowSeconds = 600;

/** The forms that cost an email or a password check, each with its own per-address counter. */
export type LimitedForm = "login" | "enroll" | "findCard" | "forgotPassword" | "resetPassword" | "invite";

function addressLimit(form: LimitedForm, config: Config) {
  const shopperForms = { limit: config.ENROLL_RATE_LIMIT, windowSeconds: config.ENROLL_RATE_WINDOW_SECONDS };
  switch (form) {
    case "login":
      return { prefix: "login", limit: config.LOGIN_RATE_LIMIT, windowSeconds: loginRateWindowSeconds };
    case "enroll":
      return { prefix: "enroll", ...shopperForms };
    case "findCard":
      return { prefix: "find-card", ...shopperForms };
    case "forgotPassword":
      return { prefix: "forgot", ...shopperForms };
    case "resetPassword":
      return { prefix: "reset", ...shopperForms };
    // Each invitation sends an email: counted like the other forms that send one.
    case "invite":
      return { prefix: "invite", ...shopperForms };
  }
}

/**
 * Counts one submission of `form` from the client's address. Over the limit, returns the action's
 * answer: 429 with Retry-After and the page's own `body`; otherwise null and the action goes on.
 */
export async function refuseOverAddressLimit<T>(
  context: AppLoadContext,
  form: LimitedForm,
  body: T,
): Promise<ReturnType<typeof data<T>> | null> {
  const { prefix, limit, windowSeconds } = addressLimit(form, context.config);
  const hit = await hitRateLimit(context.db, `${prefix}:${context.clientAddress}`, limit, windowSeconds);
  if (hit.allowed) return null;
  return tooManyRequests(body, hit.retryAfterSeconds);
}

/** The one shape of a refusal for too many attempts. */
export function tooManyRequests<T>(body: T, retryAfterSeconds: number) {
  return data(body, { status: 429, headers: { "Retry-After": String(retryAfterSeconds) } });
}
