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

/**
 * Only a path on this site: never an open redirect. The value is resolved the way a browser would
 * (which drops tabs and newlines, so "/\t/evil.example" means "//evil.example") and must stay on
 * the same origin.
 */
export function safeRedirectPath(value: unknown, fallback: string): string {
  if (typeof value !== "string" || !value.startsWith("/") || /[\p{Cc}\\]/u.test(value)) return fallback;
  const base = "http://rewardflow.invalid";
  try {
    const url = new URL(value, base);
    if (url.origin !== base) return fallback;
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return fallback;
  }
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
