import { readForm } from "~/http/form.server";
import { requireRole } from "~/modules/auth/guards.server";
import { effectiveEmailConfig } from "~/modules/messaging/email-config.server";
import { emailDocument } from "~/modules/messaging/email-document.server";
import { checkTemplate, templateFor } from "~/modules/messaging/templates.server";
import type { TemplateCopy } from "~/modules/outbox/kinds";
import { effectiveWalletConfig, isWalletReady } from "~/modules/wallet/wallet-config.server";
import type { Route } from "./+types/email-template-preview";
import { describeTemplateProblems, parseTemplateDraft, templateTarget } from "./email-template.server";

/** The template rendered with sample data, as an HTML document for the editor's preview frame. */
async function preview(
  { context, request, params }: Route.LoaderArgs | Route.ActionArgs,
  draft: FormData | null,
): Promise<Response> {
  requireRole(context, request, ["platform_admin"]);
  const { t } = context.i18n;
  const notFound = () => emailDocument.problems(context.locale, t("common:errors.notFound.title"), [], 404);
  const target = templateTarget(params);
  if (!target) return notFound();
  const { key, locale } = target;
  let copy: TemplateCopy | null;
  if (draft) {
    const parsed = parseTemplateDraft(t, draft);
    if (!parsed.draft) {
      return emailDocument.problems(
        context.locale,
        t("console:emailTemplates.previewInvalid"),
        Object.values(parsed.fieldErrors).flat(),
        400,
      );
    }
    copy = parsed.draft;
  } else {
    copy = await templateFor(context.db, key, locale);
  }
  if (!copy) return notFound();
  const problems = describeTemplateProblems(t, key, checkTemplate(key, copy));
  if (Object.keys(problems).length > 0) {
    return emailDocument.problems(
      context.locale,
      t("console:emailTemplates.previewInvalid"),
      Object.values(problems).flat(),
      200,
    );
  }
  // The email renderer (React Email, Prism) loads on the first preview, not with every web process.
  const [{ renderPreview }, { previewShop }] = await Promise.all([
    import("~/modules/messaging/render.server"),
    import("~/modules/messaging/kinds/shopper.server"),
  ]);
  const rendered = await renderPreview(key, locale, copy, {
    platformOrigin: context.config.platformOrigin,
    appSecret: context.config.APP_SECRET,
    emailConfig: await effectiveEmailConfig(context.db, context.config, { withPassword: false }),
    walletLinks: isWalletReady(await effectiveWalletConfig(context.db, context.config)),
    previewShop: await previewShop(context.db, locale, context.config.platformOrigin),
  });
  return emailDocument.email(rendered, t("console:emailTemplates.previewSubject", { subject: rendered.subject }));
}

export function loader(args: Route.LoaderArgs) {
  return preview(args, null);
}

export async function action(args: Route.ActionArgs) {
  return preview(args, await readForm(args.request));
}
