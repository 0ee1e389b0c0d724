import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { useTranslation } from "react-i18next";
import { data, Form, redirect, useSearchParams } from "react-router";
import { z } from "zod";
import { readForm } from "~/http/form.server";
import { locales } from "~/i18n/locales";
import { requireRole } from "~/modules/auth/guards.server";
import {
  createProgram,
  merchantOptions,
  ProgramFieldError,
  programForEdit,
  updateProgram,
} from "~/modules/loyalty/program-admin.server";
import { type Scope, scopeOf } from "~/modules/scope/scope";
import { FieldError, FormPageHeading, SelectField, SubmitButton, TextField, useErrorText } from "~/ui/form";
import type { Route } from "./+types/program-edit";
import { createProgramSchema, programSchema, spareRewardRows } from "./program-schema";

async function loadProgram(context: Route.LoaderArgs["context"], scope: Scope, programId: string | undefined) {
  if (programId === undefined) return null;
  const id = z.uuid().safeParse(programId);
  const found = id.success ? await programForEdit(context.db, scope, id.data) : null;
  if (!found) throw data({ code: "notFound" }, { status: 404 });
  return found;
}

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const scope = scopeOf(requireRole(context, request, ["platform_admin"]));
  const found = await loadProgram(context, scope, params.programId);
  const merchants = await merchantOptions(context.db, scope);
  if (!found) return { mode: "create" as const, merchants, programId: null, merchantName: null, defaults: null };
  const { program, rewards } = found;
  return {
    mode: "edit" as const,
    merchants,
    programId: program.id,
    merchantName: merchants.find((m) => m.id === program.merchantId)?.name ?? "",
    defaults: {
      name: { ...program.nameTranslations, en: program.nameTranslations.en ?? program.name },
      kind: program.kind,
      pointsPerEuro: String(program.pointsPerEuro),
      stampsPerCard: String(program.stampsPerCard),
      welcomeBonus: String(program.welcomeBonus),
      pointsExpiryMonths: program.pointsExpiryMonths === null ? "" : String(program.pointsExpiryMonths),
      brandColor: program.brandColor,
      logoUrl: program.logoUrl ?? "",
      termsUrl: program.termsUrl ?? "",
      active: program.active ? "on" : "",
      rewards: rewards.map((reward) => ({
        id: reward.id,
        name: { ...reward.nameTranslations, en: reward.nameTranslations.en ?? reward.name },
        cost: String(reward.cost),
      })),
    },
  };
}

export async function action({ context, request, params }: Route.ActionArgs) {
  const actor = requireRole(context, request, ["platform_admin"]);
  const found = await loadProgram(context, scopeOf(actor), params.programId);
  const submission = parseWithZod(await readForm(request), { schema: found ? programSchema : createProgramSchema });
  if (submission.status !== "success") return data({ result: submission.reply() }, { status: 400 });
  try {
    if (found) {
      await updateProgram(context.db, actor, found.program.id, submission.value);
      return redirect(`/admin/loyalty/programs/${found.program.id}?saved=1`);
    }
    const program = await createProgram(context.db, actor, submission.value.merchantId, submission.value);
    return redirect(`/admin/loyalty/programs/${program.id}?created=1`);
  } catch (error) {
    if (error instanceof ProgramFieldError) {
      return data(
        { result: submission.reply({ fieldErrors: { [error.field]: [error.messageKey] } }) },
        { status: 400 },
      );
    }
    throw error;
  }
}

export default function ProgramEdit({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation(["console", "common"]);
  const errorText = useErrorText("console");
  const [searchParams] = useSearchParams();
  const defaults = loaderData.defaults;
  const [form, fields] = useForm({
    id: "program",
    lastResult: actionData?.result,
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    defaultValue: {
      ...(defaults ?? {
        kind: "points",
        pointsPerEuro: "1",
        stampsPerCard: "10",
        welcomeBonus: "0",
        brandColor: "#1f4e79",
        active: "on",
      }),
      rewards: [...(defaults?.rewards ?? []), ...Array.from({ length: spareRewardRows }, () => ({}))],
    },
    onValidate: ({ formData }) =>
      parseWithZod(formData, { schema: loaderData.mode === "create" ? createProgramSchema : programSchema }),
  });
  const name = fields.name.getFieldset();
  const rewards = fields.rewards.getFieldList();
  const title =
    loaderData.mode === "create"
      ? t("programs.createTitle")
      : t("programs.editTitle", { name: defaults?.name.en ?? "" });
  const summary = [
    ...errorText(fields.merchantId.errors).map((text) => ({ href: "#program-merchantId", text })),
    ...errorText(name.en.errors).map((text) => ({ href: "#program-name-en", text })),
    ...errorText(fields.kind.errors).map((text) => ({ href: "#program-kind-points", text })),
    ...errorText(fields.active.errors).map((text) => ({ href: "#program-active", text })),
    ...(
      [
        "pointsPerEuro",
        "stampsPerCard",
        "welcomeBonus",
        "pointsExpiryMonths",
        "brandColor",
        "logoUrl",
        "termsUrl",
      ] as const
    ).flatMap((key) => errorText(fields[key].errors).map((text) => ({ href: `#program-${key}`, text }))),
    ...rewards.flatMap((reward, index) => {
      const row = reward.getFieldset();
      return [
        ...errorText(row.name.getFieldset().en.errors).map((text) => ({ href: `#reward-${index}-en`, text })),
        ...errorText(row.cost.errors).map((text) => ({ href: `#reward-${index}-cost`, text })),
      ];
    }),
  ];
  const numberField = (key: "pointsPerEuro" | "stampsPerCard" | "welcomeBonus" | "pointsExpiryMonths") => (
    <TextField
      id={`program-${key}`}
      name={fields[key].name}
      label={t(`programs.form.${key}`)}
      inputMode="numeric"
      autoComplete="off"
      defaultValue={fields[key].initialValue}
      errors={errorText(fields[key].errors)}
    />
  );
  const kindErrors = errorText(fields.kind.errors);
  const activeErrors = errorText(fields.active.errors);
  return (
    <>
      <FormPageHeading
        title={title}
        errors={summary}
        notices={[
          searchParams.get("created") ? t("programs.created") : null,
          searchParams.get("saved") ? t("programs.saved") : null,
        ]}
      />
      <Form method="post" {...getFormProps(form)} noValidate>
        {loaderData.mode === "create" ? (
          <SelectField
            id="program-merchantId"
            name={fields.merchantId.name}
            label={t("programs.form.merchant")}
            defaultValue={fields.merchantId.initialValue}
            errors={errorText(fields.merchantId.errors)}
            options={[
              { value: "", label: t("programs.form.chooseMerchant") },
              ...loaderData.merchants.map((merchant) => ({ value: merchant.id, label: merchant.name })),
            ]}
          />
        ) : (
          <>
            <p>
              {t("programs.form.merchant")}: <strong>{loaderData.merchantName}</strong>
            </p>
            <FieldError id="program-merchantId-error" errors={errorText(fields.merchantId.errors)} />
          </>
        )}
        <fieldset className="field">
          <legend>{t("programs.form.names")}</legend>
          <p className="field-hint">{t("programs.form.namesHint")}</p>
          <div className="translations">
            {locales.map((locale) => (
              <TextField
                key={locale}
                id={`program-name-${locale}`}
                name={name[locale].name}
                label={t("programs.form.languageName", { language: t(`common:languageNames.${locale}`) })}
                autoComplete="off"
                required={locale === "en"}
                maxLength={100}
                defaultValue={name[locale].initialValue}
                errors={errorText(name[locale].errors)}
              />
            ))}
          </div>
        </fieldset>
        <fieldset
          className={kindErrors.length ? "field field-invalid" : "field"}
          aria-describedby={kindErrors.length ? "program-kind-error" : undefined}
        >
          <legend>{t("programs.form.kind")}</legend>
          <FieldError id="program-kind-error" errors={kindErrors} />
          {(["points", "stamps"] as const).map((kind) => (
            <div key={kind} className="checkbox-field">
              <input
                type="radio"
                id={`program-kind-${kind}`}
                name={fields.kind.name}
                value={kind}
                defaultChecked={fields.kind.initialValue === kind}
              />
              <label htmlFor={`program-kind-${kind}`}>
                {t(kind === "points" ? "programs.form.kindPoints" : "programs.form.kindStamps")}
              </label>
            </div>
          ))}
        </fieldset>
        <div className="columns">
          {numberField("pointsPerEuro")}
          {numberField("stampsPerCard")}
          {numberField("welcomeBonus")}
          {numberField("pointsExpiryMonths")}
        </div>
        <TextField
          id="program-brandColor"
          name={fields.brandColor.name}
          label={t("programs.form.brandColor")}
          hint={t("programs.form.brandColorHint")}
          autoComplete="off"
          maxLength={7}
          defaultValue={fields.brandColor.initialValue}
          errors={errorText(fields.brandColor.errors)}
        />
        <TextField
          id="program-logoUrl"
          name={fields.logoUrl.name}
          type="url"
          label={t("programs.form.logoUrl")}
          hint={t("programs.form.urlHint")}
          autoComplete="off"
          maxLength={500}
          defaultValue={fields.logoUrl.initialValue}
          errors={errorText(fields.logoUrl.errors)}
        />
        <TextField
          id="program-termsUrl"
          name={fields.termsUrl.name}
          type="url"
          label={t("programs.form.termsUrl")}
          hint={t("programs.form.urlHint")}
          autoComplete="off"
          maxLength={500}
          defaultValue={fields.termsUrl.initialValue}
          errors={errorText(fields.termsUrl.errors)}
        />
        <fieldset className="field">
          <legend>{t("programs.form.rewards")}</legend>
          <p className="field-hint">{t("programs.form.rewardsHint")}</p>
          {rewards.map((reward, index) => {
            const row = reward.getFieldset();
            const rowName = row.name.getFieldset();
            return (
              <fieldset key={reward.key} className="panel">
                <legend>{t("programs.form.reward", { number: index + 1 })}</legend>
                {row.id.initialValue ? <input type="hidden" name={row.id.name} value={row.id.initialValue} /> : null}
                <div className="translations">
                  {locales.map((locale) => (
                    <TextField
                      key={locale}
                      id={`reward-${index}-${locale}`}
                      name={rowName[locale].name}
                      label={t("programs.form.languageName", { language: t(`common:languageNames.${locale}`) })}
                      autoComplete="off"
                      maxLength={100}
                      defaultValue={rowName[locale].initialValue}
                      errors={errorText(rowName[locale].errors)}
                    />
                  ))}
                </div>
                <TextField
                  id={`reward-${index}-cost`}
                  name={row.cost.name}
                  label={t("programs.form.rewardCost")}
                  inputMode="numeric"
                  autoComplete="off"
                  defaultValue={row.cost.initialValue}
                  errors={errorText(row.cost.errors)}
                />
              </fieldset>
            );
          })}
        </fieldset>
        <div className={activeErrors.length ? "field checkbox-field field-invalid" : "field checkbox-field"}>
          <FieldError id="program-active-error" errors={activeErrors} />
          <input
            {...getInputProps(fields.active, { type: "checkbox" })}
            id="program-active"
            aria-invalid={activeErrors.length ? true : undefined}
            aria-describedby={activeErrors.length ? "program-active-error" : undefined}
          />
          <label htmlFor="program-active">{t("programs.form.active")}</label>
        </div>
        <SubmitButton>{t("programs.form.save")}</SubmitButton>
      </Form>
    </>
  );
}
