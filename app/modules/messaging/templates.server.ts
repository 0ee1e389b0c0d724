import { and, eq } from "drizzle-orm";
import type { Database, Executor } from "~/db/client.server";
import { type Locale, locales } from "~/i18n/locales";
import { recordAudit } from "~/modules/audit/audit.server";
import { type EmailTemplateKey, emailKinds, emailTemplateKeys, type TemplateCopy } from "~/modules/outbox/kinds";
import type { Actor } from "~/modules/scope/scope";
import { type MarkupError, parseBody, parsePlain, type Vocabulary } from "../../../emails/markup";
import { defaultTemplates } from "./default-templates";
import { emailTemplates } from "./schema";

/** Notified (by a trigger, migration 0017) at the commit of any change to email_templates. */
export const emailTemplatesChannel = "rewardflow_email_templates";

/** Placeholders that hold URLs the system makes: the only ones a link may point to, and only in the body. */
const urlPlaceholders: readonly string[] = ["cardUrl", "link"];

/**
 * What each field of a kind's copy may use: its placeholders, nothing else, so a saved template
 * never shows `{{…}}`. Subject and preheader get no URL (a one-time link would otherwise sit in the
 * subject, which the log keeps); links in the body point to system URLs only.
 */
export function templateVocabulary(key: EmailTemplateKey): { plain: Vocabulary; body: Vocabulary } {
  const placeholders: readonly string[] = emailKinds[key].placeholders;
  return {
    plain: { placeholders: placeholders.filter((name) => !urlPlaceholders.includes(name)) },
    body: { placeholders, linkTargets: placeholders.filter((name) => urlPlaceholders.includes(name)) },
  };
}

/**
 * Inserts the default copy for every (key, locale) that has no row yet; never overwrites an
 * admin's edit. Runs after migrations, so every database, production included, has all rows.
 */
export async function ensureDefaultEmailTemplates(db: Executor): Promise<number> {
  const rows = locales.flatMap((locale) =>
    emailTemplateKeys.map((key) => ({ key, locale, ...defaultTemplates[locale][key] })),
  );
  const inserted = await db
    .insert(emailTemplates)
    .values(rows)
    .onConflictDoNothing({ target: [emailTemplates.key, emailTemplates.locale] })
    .returning({ id: emailTemplates.id });
  return inserted.length;
}

export type TemplateField = keyof TemplateCopy;
export type TemplateProblems = Partial<Record<TemplateField, MarkupError[]>>;

/** Checks a draft against its key's placeholders and the markup rules; empty when it can be saved. */
export function checkTemplate(key: EmailTemplateKey, copy: TemplateCopy): TemplateProblems {
  const vocabulary = templateVocabulary(key);
  const problems: TemplateProblems = {};
  const subject = parsePlain(copy.subject, vocabulary.plain);
  const preheader = parsePlain(copy.preheader, vocabulary.plain);
  const body = parseBody(copy.body, vocabulary.body);
  if (!subject.ok) problems.subject = subject.errors;
  if (!preheader.ok) problems.preheader = preheader.errors;
  if (!body.ok) problems.body = body.errors;
  return problems;
}

export class TemplateInvalidError extends Error {
  override name = "TemplateInvalidError";
  constructor(readonly problems: TemplateProblems) {
    super("email template is invalid");
  }
}

/** Every (key, locale) with when it was last edited; a row never edited still equals its default. */
export async function listTemplates(db: Executor) {
  const rows = await db
    .select({
      key: emailTemplates.key,
      locale: emailTemplates.locale,
      subject: emailTemplates.subject,
      updatedAt: emailTemplates.updatedAt,
      updatedBy: emailTemplates.updatedBy,
    })
    .from(emailTemplates);
  return rows.map((row) => ({ ...row, edited: row.updatedBy !== null }));
}

/** The stored copy of one kind in one language. */
export async function templateFor(db: Executor, key: EmailTemplateKey, locale: Locale) {
  const [row] = await db
    .select()
    .from(emailTemplates)
    .where(and(eq(emailTemplates.key, key), eq(emailTemplates.locale, locale)));
  return row ?? null;
}

/** Saves an admin's copy after checking it; refuses (TemplateInvalidError) anything that would not render cleanly. */
export async function saveTemplate(
  db: Database,
  actor: Actor,
  key: EmailTemplateKey,
  locale: Locale,
  copy: TemplateCopy,
): Promise<void> {
  const problems = checkTemplate(key, copy);
  if (Object.keys(problems).length > 0) throw new TemplateInvalidError(problems);
  const normalized = { subject: copy.subject.trim(), preheader: copy.preheader.trim(), body: copy.body.trim() };
  await db.transaction(async (tx) => {
    await tx
      .insert(emailTemplates)
      .values({ key, locale, ...normalized, updatedBy: actor.userId })
      .onConflictDoUpdate({
        target: [emailTemplates.key, emailTemplates.locale],
        set: { ...normalized, updatedBy: actor.userId },
      });
    await recordAudit(tx, actor, {
      action: "email_template.updated",
      entityType: "email_template",
      entityId: `${key}:${locale}`,
    });
  });
}

/** Puts the shipped copy back for one (key, locale). */
export async function restoreDefaultTemplate(db: Database, actor: Actor, key: EmailTemplateKey, locale: Locale) {
  const copy = defaultTemplates[locale][key];
  await db.transaction(async (tx) => {
    await tx
      .update(emailTemplates)
      .set({ ...copy, updatedBy: null })
      .where(and(eq(emailTemplates.key, key), eq(emailTemplates.locale, locale)));
    await recordAudit(tx, actor, {
      action: "email_template.restored",
      entityType: "email_template",
      entityId: `${key}:${locale}`,
    });
  });
}
