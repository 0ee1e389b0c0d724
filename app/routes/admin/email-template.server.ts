import type { i18n as I18n } from "i18next";
import { z } from "zod";
import { templateCatalog } from "~/modules/messaging/catalog";
import type { EmailTemplateKey } from "~/modules/messaging/schema";
import type { TemplateProblems } from "~/modules/messaging/templates.server";

/** The three fields of a template draft as posted by the editor (markup is checked separately). */
export const templateDraftSchema = z.object({
  subject: z.string().max(200).default(""),
  preheader: z.string().max(300).default(""),
  body: z.string().max(10_000).default(""),
});

/** Markup problems as sentences in the admin's language, by field, naming the line and the culprit. */
export function describeTemplateProblems(
  t: I18n["t"],
  key: EmailTemplateKey,
  problems: TemplateProblems,
): Record<string, string[]> {
  const allowed = templateCatalog[key].placeholders.map((name) => `{{${name}}}`).join(", ");
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
          interpolation: { escapeValue: false },
        }),
      ),
    ]),
  );
}

/** A placeholder to show in "[link text](…)" examples: the key's own URL placeholder when it has one. */
export function linkExample(key: EmailTemplateKey): string {
  const placeholders: readonly string[] = templateCatalog[key].placeholders;
  const name = placeholders.find((candidate) => candidate === "cardUrl" || candidate === "link");
  return name ? `{{${name}}}` : "https://…";
}
