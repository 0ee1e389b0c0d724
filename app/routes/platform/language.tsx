import { data, redirect, redirectDocument } from "react-router";
import { readForm } from "~/http/form.server";
import { isLocale } from "~/i18n/locales";
import { requireActor, safeRedirectPath } from "~/modules/auth/guards.server";
import { homePath } from "~/modules/auth/roles";
import { saveLanguagePreference } from "~/modules/auth/users.server";
import type { Route } from "./+types/language";

/** The console's language choice: saved on the account, then the same page again in that language. */
export async function action({ request, context }: Route.ActionArgs) {
  const actor = requireActor(context, request);
  const form = await readForm(request);
  const lang = form.get("lang");
  if (!isLocale(lang)) throw data({ code: "badRequest" }, { status: 400 });
  await saveLanguagePreference(context.db, actor.userId, lang);
  return redirectDocument(safeRedirectPath(form.get("returnTo"), homePath(actor.role)));
}

export function loader() {
  return redirect("/");
}
