import { redirect } from "react-router";
import { sessionCookie } from "~/modules/auth/guards.server";
import { endSession, sessionCookieName } from "~/modules/auth/sessions.server";
import type { Route } from "./+types/logout";

export async function action({ context }: Route.ActionArgs) {
  if (context.sessionToken) await endSession(context.db, context.sessionToken);
  const cleared = sessionCookie(sessionCookieName(context.config.isProduction), "", {
    secure: context.config.isProduction,
    maxAgeSeconds: 0,
  });
  return redirect("/login?signedOut=1", { headers: { "Set-Cookie": cleared } });
}

export function loader() {
  return redirect("/login");
}
