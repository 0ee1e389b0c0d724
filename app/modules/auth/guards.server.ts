import { type AppLoadContext, redirect } from "react-router";
import { accessDenied, notFound } from "~/errors";
import type { Actor } from "~/modules/scope/scope";
import type { Role } from "./schema";

/** The signed-in staff member, or a redirect to the sign-in page that comes back here afterwards. */
export function requireActor(context: AppLoadContext, request: Request): Actor {
  if (context.tenant.kind !== "platform") throw notFound();
  if (context.actor) return context.actor;
  const url = new URL(request.url);
  const redirectTo = `${url.pathname}${url.search}`;
  throw redirect(`/login?redirectTo=${encodeURIComponent(redirectTo)}`);
}

/** One line at the top of a loader or action: signed in, and with one of these roles (403 otherwise). */
export function requireRole(context: AppLoadContext, request: Request, roles: readonly Role[]): Actor {
  const actor = requireActor(context, request);
  if (!roles.includes(actor.role)) throw accessDenied();
  return actor;
}

const redirectBase = "http://rewardflow.invalid";

/**
 * Only a path on this site: never an open redirect. The value is resolved the way a browser would
 * (which drops tabs and newlines and folds "/./" and "%2e%2e"), and neither the result nor any
 * percent-decoding of it may read as another origin ("//host" or "/\host").
 */
export function safeRedirectPath(value: unknown, fallback: string): string {
  if (typeof value !== "string" || !value.startsWith("/")) return fallback;
  try {
    const url = new URL(value, redirectBase);
    if (url.origin !== redirectBase) return fallback;
    const result = `${url.pathname}${url.search}${url.hash}`;
    return [...decodings(value), ...decodings(result)].some(leavesSite) ? fallback : result;
  } catch {
    return fallback;
  }
}

/** The value and each percent-decoding of it, until decoding changes nothing (double encoding included). */
function decodings(value: string): string[] {
  const forms = [value];
  let current = value;
  for (let round = 0; round < 5; round++) {
    let next: string;
    try {
      next = decodeURIComponent(current);
    } catch {
      break;
    }
    if (next === current) break;
    forms.push(next);
    current = next;
  }
  return forms;
}

function leavesSite(form: string): boolean {
  if (/[\p{Cc}\\]/u.test(form) || /^[/\\]{2}/.test(form)) return true;
  const url = new URL(form, redirectBase);
  return url.origin !== redirectBase || url.pathname.startsWith("//");
}

export function sessionCookie(
  name: string,
  token: string,
  options: { secure: boolean; maxAgeSeconds: number },
): string {
  return [
    `${name}=${token}`,
    "Path=/",
    "HttpOnly",
    "SameSite=Lax",
    `Max-Age=${options.maxAgeSeconds}`,
    options.secure ? "Secure" : null,
  ]
    .filter(Boolean)
    .join("; ");
}
