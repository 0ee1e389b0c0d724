import type { i18n as I18n } from "i18next";
import { z } from "zod";
import { isLocale, type Locale } from "~/i18n/locales";
import type { TemplateProblems } from "~/modules/messaging/templates.server";
import { type EmailTemplateKey, emailKinds, emailTemplateKeys } from "~/modules/outbox/kinds";

/** The email and language a template URL names (`:key/:locale`), or null when either is unknown. */
export function templateTarget(params: {
  key?: string;
  locale?: string;
}): { key: EmailTemplateKey; locale: Locale } | null {
  const key = emailTemplateKeys.find((candidate) => candidate === params.key);
  return key && isLocale(params.locale) ? { key, locale: params.locale } : null;
}

/** Control characters other than line breaks and tabs: PostgreSQL refuses NUL, mail clients the rest. */
const controlCharacters = /[^\P{Cc}\n\r\t]/u;

const draftField = (max: number) =>
  z
    .string()
    .max(max, "tooLong")
    .refine((value) => !controlCharacters.test(value), "invalidCharacters")
    .default("");

/** The three fields of a template draft as posted by the editor (markup is checked separately). */
const templateDraftSchema = z.object({
  subject: draftField(200),
  preheader: draftField(300),
  body: draftField(10_000),
});

/** The draft, or its problems by field in the admin's language; the typed values come back either way. */
export function parseTemplateDraft(t: I18n["t"], formData: FormData) {
  const raw = {
    subject: String(formData.get("subject") ?? ""),
    preheader: String(formData.get("preheader") ?? ""),
    body: String(formData.get("body") ?? ""),
  };
  const parsed = templateDraftSchema.safeParse(raw);
  if (parsed.success) return { draft: parsed.data, values: parsed.data, fieldErrors: {} as Record<string, string[]> };
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? "body");
    const key = issue.message === "invalidCharacters" ? "invalidCharacters" : "tooLong";
    fieldErrors[field] = [t(`console:emailTemplates.errors.${key}`)];
  }
  // Control characters never go back into the page (or the database).
  const values = Object.fromEntries(
    Object.entries(raw).map(([field, value]) => [field, value.replace(new RegExp(controlCharacters, "gu"), "")]),
  ) as typeof raw;
  return { draft: null, values, fieldErrors };
}

/** Markup problems as sentences in the admin's language, by field, naming the line and the culprit. */
export function describeTemplateProblems(
  t: I18n["t"],
  key: EmailTemplateKey,
  problems: TemplateProblems,
): Record<string, string[]> {
  const allowed = emailKinds[key].placeholders.map((name) => `{{${name}}}`).join(", ");
  const link = linkExample(key);
  return Object.fromEntries(
    Object.entries(problems).map(([field, list]) => [
      field,
      (list ?? []).map((problem) =>
        t(`console:emailTemplates.errors.${problem.code}`, {
          line: problem.line,
          detail: problem.detail ?? "",
          allowed,
          link,
        }),
      ),
    ]),
  );
}

/** A placeholder to show in "[link text](…)" examples: the key's own URL placeholder when it has one. */
export function linkExample(key: EmailTemplateKey): string {
  const placeholders: readonly string[] = emailKinds[key].placeholders;
  const name = placeholders.find((candidate) => candidate === "cardUrl" || candidate === "link");
  return name ? `{{${name}}}` : "https://…";
}
