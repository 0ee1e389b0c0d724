import { type FieldMetadata, getFormProps, getInputProps, getSelectProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { data, Form, redirect, useSearchParams } from "react-router";
import type { z } from "zod";
import { FieldError } from "~/errors";
import { readForm } from "~/http/form.server";
import { type Locale, locales } from "~/i18n/locales";
import { requireRole } from "~/modules/auth/guards.server";
import { createProgram, merchantOptions, programForEdit, updateProgram } from "~/modules/loyalty/program-admin.server";
import { pointsExpiryRules } from "~/modules/loyalty/program-rules";
import { type Scope, scopeOf } from "~/modules/scope/scope";
import { recordOr404 } from "~/routes/shared/records.server";
import { BrandContrastCheck, LogoPreview } from "~/ui/brand-preview";
import {
  CheckboxField,
  ChoiceFieldset,
  ErrorList,
  type ErrorText,
  Field,
  FormPageHeading,
  SelectField,
  SubmitButton,
  useRouteForm,
} from "~/ui/form";
import type { Route } from "./+types/program-edit";
import { createProgramSchema, maxRewards, programSchema, withoutOtherKindFields } from "./program-schema";

/** The program being edited with its rewards, or null on the "new" page. */
function loadProgram(context: Route.LoaderArgs["context"], scope: Scope, programId: string | undefined) {
  return programId === undefined ? null : recordOr404(programId, (id) => programForEdit(context.db, scope, id));
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
      stampsPerPurchase: String(program.stampsPerPurchase),
      pointsExpiryRule: program.pointsExpiryRule,
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
  const submission = parseWithZod(withoutOtherKindFields(await readForm(request)), {
    schema: found ? programSchema : createProgramSchema,
  });
  // An "add/remove a reward" button (no JavaScript) comes back as an intent: the form again, as typed.
  if (submission.status === undefined) return { result: submission.reply() };
  if (submission.status !== "success") return data({ result: submission.reply() }, { status: 400 });
  try {
    if (found) {
      await updateProgram(context.db, actor, found.program.id, submission.value);
      return redirect(`/admin/loyalty/programs/${found.program.id}?saved=1`);
    }
    const program = await createProgram(context.db, actor, submission.value.merchantId, submission.value);
    return redirect(`/admin/loyalty/programs/${program.id}?created=1`);
  } catch (error) {
    if (error instanceof FieldError) {
      return data({ result: submission.reply({ fieldErrors: error.fieldErrors }) }, { status: 400 });
    }
    throw error;
  }
}

const numberKeys = ["pointsPerEuro", "stampsPerCard", "stampsPerPurchase", "welcomeBonus"] as const;
/** Which program kind a number belongs to; the stylesheet shows only the chosen kind's (no JavaScript needed). */
const kindOfField: Partial<Record<(typeof numberKeys)[number], "points" | "stamps">> = {
  pointsPerEuro: "points",
  stampsPerCard: "stamps",
  stampsPerPurchase: "stamps",
};

export default function ProgramEdit({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation(["console", "common"]);
  const [searchParams] = useSearchParams();
  const defaults = loaderData.defaults;
  const { form, fields, errorText, errorSummary } = useRouteForm<
    z.input<typeof programSchema>,
    z.output<typeof programSchema>
  >({
    id: "program",
    schema: loaderData.mode === "create" ? createProgramSchema : programSchema,
    lastResult: actionData?.result,
    namespace: "console",
    shouldRevalidate: "onInput",
    prepare: withoutOtherKindFields,
    defaultValue: {
      ...(defaults ?? {
        kind: "points",
        pointsPerEuro: "1",
        stampsPerCard: "10",
        stampsPerPurchase: "1",
        welcomeBonus: "0",
        pointsExpiryRule: "none",
        brandColor: "#1f4e79",
        active: "on",
      }),
      // A new program starts with one empty reward row; more are added with "Add a reward".
      rewards: defaults?.rewards.length ? defaults.rewards : [{}],
    },
  });
  const name = fields.name.getFieldset();
  const rewards = fields.rewards.getFieldList();
  const title =
    loaderData.mode === "create"
      ? t("programs.createTitle")
      : t("programs.editTitle", { name: defaults?.name.en ?? "" });
  const summary = errorSummary({
    "program-merchantId": fields.merchantId,
    "program-name-en": name.en,
    "program-kind-points": fields.kind,
    "program-active": fields.active,
    ...Object.fromEntries(
      [...numberKeys, "pointsExpiryMonths", "brandColor", "logoUrl", "termsUrl"].map((key) => [
        `program-${key}`,
        fields[key as (typeof numberKeys)[number] | "pointsExpiryMonths" | "brandColor" | "logoUrl" | "termsUrl"],
      ]),
    ),
    "program-pointsExpiryRule-none": fields.pointsExpiryRule,
    ...Object.fromEntries(
      rewards.flatMap((reward, index) => {
        const row = reward.getFieldset();
        return [
          [`reward-${index}-en`, row.name.getFieldset().en],
          [`reward-${index}-cost`, row.cost],
        ];
      }),
    ),
  });
  const urlField = (key: "logoUrl" | "termsUrl") => (
    <Field
      labelProps={{ children: t(`programs.form.${key}`) }}
      hint={t(key === "logoUrl" ? "programBranding.logoHint" : "programBranding.termsHint")}
      inputProps={{
        ...getInputProps(fields[key], { type: "text" }),
        inputMode: "url",
        autoComplete: "off",
        maxLength: 500,
      }}
      errors={errorText(fields[key].errors)}
    />
  );
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
      <Form method="post" {...getFormProps(form)} className="program-form" noValidate>
        {/* Enter in a field saves: the first submit button is the form's default, not "Remove reward 1". */}
        <button type="submit" hidden tabIndex={-1} />
        {loaderData.mode === "create" ? (
          <SelectField
            labelProps={{ children: t("programs.form.merchant") }}
            selectProps={getSelectProps(fields.merchantId)}
            options={[
              { value: "", label: t("programs.form.chooseMerchant") },
              ...loaderData.merchants.map((merchant) => ({ value: merchant.id, label: merchant.name })),
            ]}
            errors={errorText(fields.merchantId.errors)}
          />
        ) : (
          <>
            <p>
              {t("programs.form.merchant")}: <strong>{loaderData.merchantName}</strong>
            </p>
            <ErrorList id="program-merchantId-error" errors={errorText(fields.merchantId.errors)} />
          </>
        )}
        <fieldset className="field">
          <legend>{t("programs.form.names")}</legend>
          <p className="field-hint">{t("programs.form.namesHint")}</p>
          <TranslatedNames idPrefix="program-name" fields={name} englishRequired errorText={errorText} />
        </fieldset>
        <ChoiceFieldset
          legend={t("programs.form.kind")}
          field={fields.kind}
          type="radio"
          options={[
            { value: "points", label: t("programs.form.kindPoints") },
            { value: "stamps", label: t("programs.form.kindStamps") },
          ]}
          errors={errorText(fields.kind.errors)}
        />
        <div className="columns">
          {numberKeys.map((key) => (
            <div key={key} className={kindOfField[key] ? `kind-${kindOfField[key]}` : undefined}>
              <Field
                labelProps={{ children: t(`programs.form.${key}`) }}
                inputProps={{
                  ...getInputProps(fields[key], { type: "text" }),
                  inputMode: "numeric",
                  autoComplete: "off",
                }}
                errors={errorText(fields[key].errors)}
              />
            </div>
          ))}
        </div>
        <fieldset className="field kind-points-expiry">
          <legend>{t("programs.form.expiry")}</legend>
          <p className="field-hint">{t("programs.form.expiryHint")}</p>
          <ChoiceFieldset
            legend={t("programs.form.pointsExpiryRule")}
            field={fields.pointsExpiryRule}
            type="radio"
            options={pointsExpiryRules.map((rule) => ({ value: rule, label: t(`programs.form.expiryRules.${rule}`) }))}
            errors={errorText(fields.pointsExpiryRule.errors)}
          />
          <Field
            labelProps={{ children: t("programs.form.pointsExpiryMonths") }}
            hint={t("programs.form.pointsExpiryMonthsHint")}
            inputProps={{
              ...getInputProps(fields.pointsExpiryMonths, { type: "text" }),
              inputMode: "numeric",
              autoComplete: "off",
            }}
            errors={errorText(fields.pointsExpiryMonths.errors)}
          />
        </fieldset>
        <fieldset className="field brand-fields">
          <legend>{t("programBranding.legend")}</legend>
          <Field
            labelProps={{ children: t("programs.form.brandColor") }}
            hint={t("programBranding.colorHint")}
            inputProps={{
              ...getInputProps(fields.brandColor, { type: "color" }),
              className: "color-input",
            }}
            errors={errorText(fields.brandColor.errors)}
          />
          <BrandContrastCheck id="brand-contrast" color={fields.brandColor.value} />
          {urlField("logoUrl")}
          <LogoPreview url={fields.logoUrl.value} storeName={loaderData.merchantName ?? defaults?.name.en ?? ""} />
        </fieldset>
        {urlField("termsUrl")}
        <fieldset className="field">
          <legend>{t("programs.form.rewards")}</legend>
          <p className="field-hint">{t("programs.form.rewardsHint")}</p>
          {rewards.map((reward, index) => (
            <RewardRow key={reward.key} index={index} reward={reward.getFieldset()} errorText={errorText}>
              <button
                {...form.remove.getButtonProps({ name: fields.rewards.name, index })}
                className="button button-secondary button-small"
              >
                {t("programRewards.remove", { number: index + 1 })}
              </button>
            </RewardRow>
          ))}
          {rewards.length < maxRewards ? (
            <button {...form.insert.getButtonProps({ name: fields.rewards.name })} className="button button-secondary">
              {t("programRewards.add")}
            </button>
          ) : null}
        </fieldset>
        <CheckboxField
          labelProps={{ children: t("programs.form.active") }}
          inputProps={getInputProps(fields.active, { type: "checkbox" })}
          errors={errorText(fields.active.errors)}
        />
        <SubmitButton>{t("programs.form.save")}</SubmitButton>
      </Form>
    </>
  );
}

type NameFields = Record<Locale, FieldMetadata<string | undefined>>;

/** One text input per language for a translated name (the program's, or a reward's). */
function TranslatedNames({
  idPrefix,
  fields,
  englishRequired = false,
  errorText,
}: {
  idPrefix: string;
  fields: NameFields;
  englishRequired?: boolean;
  errorText: ErrorText;
}) {
  const { t } = useTranslation(["console", "common"]);
  return (
    <div className="translations">
      {locales.map((locale) => (
        <Field
          key={locale}
          labelProps={{
            children: t("programs.form.languageName", { language: t(`common:languageNames.${locale}`) }),
          }}
          inputProps={{
            ...getInputProps(fields[locale], { type: "text" }),
            id: `${idPrefix}-${locale}`,
            autoComplete: "off",
            required: englishRequired && locale === "en",
            maxLength: 100,
          }}
          errors={errorText(fields[locale].errors)}
        />
      ))}
    </div>
  );
}

/** One reward: its names, its cost and its remove button; a row left empty is dropped by the schema. */
function RewardRow({
  index,
  reward,
  errorText,
  children,
}: {
  index: number;
  reward: {
    id: FieldMetadata<string | undefined>;
    name: FieldMetadata<Partial<Record<Locale, string>> | undefined>;
    cost: FieldMetadata<number | undefined>;
  };
  errorText: ErrorText;
  children: ReactNode;
}) {
  const { t } = useTranslation("console");
  return (
    <fieldset className="panel">
      <legend>{t("programs.form.reward", { number: index + 1 })}</legend>
      {reward.id.initialValue ? <input type="hidden" name={reward.id.name} value={reward.id.initialValue} /> : null}
      <TranslatedNames
        idPrefix={`reward-${index}`}
        fields={reward.name.getFieldset() as NameFields}
        errorText={errorText}
      />
      <Field
        labelProps={{ children: t("programs.form.rewardCost") }}
        inputProps={{
          ...getInputProps(reward.cost, { type: "text" }),
          id: `reward-${index}-cost`,
          inputMode: "numeric",
          autoComplete: "off",
        }}
        errors={errorText(reward.cost.errors)}
      />
      {children}
    </fieldset>
  );
}
