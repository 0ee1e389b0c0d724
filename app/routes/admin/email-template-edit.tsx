import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { data, Form, Link, redirect, useSearchParams } from "react-router";
import { z } from "zod";
import { notFound } from "~/errors";
import { readForm } from "~/http/form.server";
import { locales } from "~/i18n/locales";
import { requireRole } from "~/modules/auth/guards.server";
import { checkTemplate, restoreDefaultTemplate, saveTemplate, templateFor } from "~/modules/messaging/templates.server";
import { emailKinds } from "~/modules/outbox/kinds";
import { queuePreview } from "~/modules/outbox/queue.server";
import { Field, FormPageHeading, TextareaField } from "~/ui/form";
import type { Route } from "./+types/email-template-edit";
import { describeTemplateProblems, linkExample, parseTemplateDraft, templateTarget } from "./email-template.server";

function templateParams(params: { key?: string; locale?: string }) {
  const target = templateTarget(params);
  if (!target) throw notFound();
  return target;
}

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const actor = requireRole(context, request, ["platform_admin"]);
  const { key, locale } = templateParams(params);
  const template = await templateFor(context.db, key, locale);
  if (!template) throw notFound();
  return {
    key,
    locale,
    copy: { subject: template.subject, preheader: template.preheader, body: template.body },
    edited: template.updatedBy !== null,
    placeholders: [...emailKinds[key].placeholders],
    linkExample: linkExample(key),
    previewTo: actor.email,
  };
}

const previewToSchema = z.string().trim().max(254).pipe(z.email());

export async function action({ context, request, params }: Route.ActionArgs) {
  const actor = requireRole(context, request, ["platform_admin"]);
  const { key, locale } = templateParams(params);
  const formData = await readForm(request);
  const intent = formData.get("intent");
  const base = `/admin/email-templates/${key}/${locale}`;
  if (intent === "restore") {
    await restoreDefaultTemplate(context.db, actor, key, locale);
    return redirect(`${base}?restored=1`);
  }
  const { t } = context.i18n;
  const { draft, values, fieldErrors } = parseTemplateDraft(t, formData);
  if (!draft) return data({ fieldErrors, values }, { status: 400 });
  const problems = describeTemplateProblems(t, key, checkTemplate(key, draft));
  if (intent === "send-preview") {
    const to = previewToSchema.safeParse(formData.get("previewTo"));
    if (!to.success) problems.previewTo = [t("console:emailTemplates.errors.previewTo")];
    if (Object.keys(problems).length > 0 || !to.success) {
      return data({ fieldErrors: problems, values: draft }, { status: 400 });
    }
    await context.db.transaction((tx) =>
      queuePreview(tx, { kind: key, locale, recipient: to.data, userId: actor.userId, draft: draft }),
    );
    return data({ fieldErrors: {}, values: draft, previewSentTo: to.data });
  }
  if (Object.keys(problems).length > 0) return data({ fieldErrors: problems, values: draft }, { status: 400 });
  await saveTemplate(context.db, actor, key, locale, draft);
  return redirect(`${base}?saved=1`);
}

export default function EmailTemplateEdit({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation(["console", "common"]);
  const [searchParams] = useSearchParams();
  const { key, locale, placeholders } = loaderData;
  const values = actionData && "values" in actionData && actionData.values ? actionData.values : loaderData.copy;
  const errors: Record<string, string[]> = actionData?.fieldErrors ?? {};
  const emailName = t(`emailTemplates.keys.${key}`);
  const language = t(`common:languageNames.${locale}`);
  const previewUrl = `/admin/email-templates/${key}/${locale}/preview`;
  const formRef = useRef<HTMLFormElement>(null);
  const previewButton = useRef<HTMLButtonElement>(null);

  // Live preview: after a pause in typing, post the draft to the preview frame (the button does it without JavaScript).
  useEffect(() => {
    const form = formRef.current;
    if (!form) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const refresh = () => {
      clearTimeout(timer);
      timer = setTimeout(() => form.requestSubmit(previewButton.current), 400);
    };
    form.addEventListener("input", refresh);
    return () => {
      clearTimeout(timer);
      form.removeEventListener("input", refresh);
    };
  }, []);

  const summary = (["subject", "preheader", "body", "previewTo"] as const).flatMap((field) =>
    (errors[field] ?? []).map((text) => ({ href: `#template-${field}`, text })),
  );
  return (
    <>
      <p>
        <Link to="/admin/email-templates">{t("emailTemplates.back")}</Link>
      </p>
      <FormPageHeading
        title={t("emailTemplates.editTitle", { email: emailName, language })}
        errors={summary}
        notices={[
          searchParams.get("saved") ? t("emailTemplates.saved") : null,
          searchParams.get("restored") ? t("emailTemplates.restored") : null,
          actionData && "previewSentTo" in actionData && actionData.previewSentTo
            ? t("emailTemplates.previewSent", { email: actionData.previewSentTo })
            : null,
        ]}
      />
      <nav aria-label={t("emailTemplates.languages")} className="tabs">
        <ul>
          {locales.map((other) => (
            <li key={other}>
              <Link
                to={`/admin/email-templates/${key}/${other}`}
                aria-current={other === locale ? "page" : undefined}
                reloadDocument
              >
                {t(`common:languageNames.${other}`)}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <div className="editor-layout">
        <Form method="post" reloadDocument ref={formRef} noValidate className="editor-form">
          <Field
            labelProps={{ children: t("emailTemplates.subject") }}
            inputProps={{
              id: "template-subject",
              name: "subject",
              autoComplete: "off",
              required: true,
              maxLength: 200,
              defaultValue: values.subject,
            }}
            errors={errors.subject ?? []}
          />
          <Field
            labelProps={{ children: t("emailTemplates.preheader") }}
            hint={t("emailTemplates.preheaderHint")}
            inputProps={{
              id: "template-preheader",
              name: "preheader",
              autoComplete: "off",
              required: true,
              maxLength: 300,
              defaultValue: values.preheader,
            }}
            errors={errors.preheader ?? []}
          />
          <TextareaField
            labelProps={{ children: t("emailTemplates.body") }}
            hint={t("emailTemplates.bodyHint", { link: loaderData.linkExample })}
            textareaProps={{
              id: "template-body",
              name: "body",
              rows: 14,
              required: true,
              maxLength: 10_000,
              defaultValue: values.body,
            }}
            describedBy="template-placeholders"
            errors={errors.body ?? []}
          />
          <div id="template-placeholders" className="field-hint">
            {t("emailTemplates.placeholders")}{" "}
            {placeholders.map((name) => (
              <code key={name}>{`{{${name}}}`} </code>
            ))}
          </div>
          <div className="button-row">
            <button type="submit" name="intent" value="save" className="button button-primary">
              {t("emailTemplates.save")}
            </button>
            <button
              type="submit"
              ref={previewButton}
              name="intent"
              value="preview"
              formAction={previewUrl}
              formTarget="template-preview"
              className="button button-secondary"
            >
              {t("emailTemplates.refreshPreview")}
            </button>
          </div>
          <fieldset className="field">
            <legend>{t("emailTemplates.sendPreviewLegend")}</legend>
            <Field
              labelProps={{ children: t("emailTemplates.previewTo") }}
              inputProps={{
                id: "template-previewTo",
                name: "previewTo",
                type: "email",
                autoComplete: "email",
                maxLength: 254,
                defaultValue: loaderData.previewTo,
              }}
              errors={errors.previewTo ?? []}
            />
            <button type="submit" name="intent" value="send-preview" className="button button-secondary">
              {t("emailTemplates.sendPreview")}
            </button>
          </fieldset>
        </Form>
        <section className="editor-preview" aria-labelledby="preview-heading">
          <h2 id="preview-heading">{t("emailTemplates.previewHeading", { language })}</h2>
          <p className="field-hint">{t("emailTemplates.previewHint")}</p>
          <iframe
            name="template-preview"
            src={previewUrl}
            title={t("emailTemplates.previewFrame", { email: emailName, language })}
            sandbox="allow-popups allow-popups-to-escape-sandbox"
          />
        </section>
      </div>
      {loaderData.edited ? (
        <Form method="post" reloadDocument className="restore-form">
          <button type="submit" name="intent" value="restore" className="button button-secondary">
            {t("emailTemplates.restore")}
          </button>
        </Form>
      ) : null}
    </>
  );
}
