import type { Locale } from "~/i18n/locales";
import type { EmailTemplateKey, TemplateCopy } from "~/modules/outbox/kinds";
import { de } from "./de";
import { en } from "./en";
import { fr } from "./fr";
import { lb } from "./lb";

/** The copy every installation starts with, and what "restore the default" brings back. */
export const defaultTemplates: Record<Locale, Record<EmailTemplateKey, TemplateCopy>> = { fr, de, lb, en };
