import { type FieldMetadata, getFormProps, getInputProps, type SubmissionResult } from "@conform-to/react";
import { useTranslation } from "react-i18next";
import { Form, Link } from "react-router";
import type { z } from "zod";
import type { ProgramKind, TransactionType } from "~/modules/loyalty/schema";
import { adjustSchema, voidSchema } from "./card-correction-schema";
import { ErrorList, Field, FormMessage, SubmitButton, useRouteForm } from "./form";

/** What the card page needs to offer corrections: present only for roles that may make them. */
export interface CardCorrectionsData {
  /** Minted by the loader and sent back with either form: a resent form records nothing more. */
  operationKey: string;
  unit: ProgramKind;
  cardActive: boolean;
  done: "adjusted" | "voided" | null;
  /** The history row named by `?void=`, shown for confirmation. */
  confirmVoid: { id: number; type: TransactionType; date: string; change: string; voidable: boolean } | null;
}

/** What the card page's action answers to a refused correction. */
export interface CardCorrectionReply {
  intent: "adjust" | "void";
  result: SubmissionResult<string[]>;
}

/** The notice after a correction was recorded (the action redirected with `?done=`). */
/** Every correction states why: the reason goes into the ledger row and the audit log. */
function ReasonField({ field, errors }: { field: FieldMetadata<string>; errors: string[] }) {
  const { t } = useTranslation("console");
  return (
    <Field
      labelProps={{ children: t("card.corrections.reason") }}
      hint={t("card.corrections.reasonHint")}
      inputProps={{ ...getInputProps(field, { type: "text" }), autoComplete: "off", required: true, maxLength: 500 }}
      errors={errors}
    />
  );
}

export function CorrectionNotice({ data }: { data: CardCorrectionsData }) {
  const { t } = useTranslation("console");
  if (!data.done) return null;
  return <FormMessage tone="info">{t(`card.corrections.${data.done}`)}</FormMessage>;
}

/** The manual adjustment: a signed whole number and a required reason. */
export function AdjustBalanceForm({
  data,
  reply,
}: {
  data: CardCorrectionsData;
  reply: CardCorrectionReply | undefined;
}) {
  const { t } = useTranslation("console");
  const { form, fields, errorText } = useRouteForm<z.input<typeof adjustSchema>, z.output<typeof adjustSchema>>({
    id: "adjust",
    schema: adjustSchema,
    lastResult: reply?.intent === "adjust" ? reply.result : undefined,
    namespace: "console",
  });
  return (
    <section aria-labelledby="adjust-heading" className="panel">
      <h2 id="adjust-heading">{t("card.corrections.adjustTitle")}</h2>
      {data.cardActive ? (
        <Form method="post" {...getFormProps(form)} noValidate>
          <input type="hidden" name="intent" value="adjust" />
          <input type="hidden" name="idempotencyKey" value={data.operationKey} readOnly />
          <ErrorList
            id="adjust-form-error"
            errors={errorText([...(form.errors ?? []), ...(fields.idempotencyKey.errors ?? [])])}
          />
          <Field
            labelProps={{ children: t(`card.corrections.delta.${data.unit}`) }}
            hint={t("card.corrections.deltaHint")}
            inputProps={{
              ...getInputProps(fields.delta, { type: "text" }),
              inputMode: "text",
              autoComplete: "off",
              required: true,
              maxLength: 8,
            }}
            errors={errorText(fields.delta.errors)}
          />
          <ReasonField field={fields.reason} errors={errorText(fields.reason.errors)} />
          <SubmitButton>{t("card.corrections.adjustSubmit")}</SubmitButton>
        </Form>
      ) : (
        <p>{t("card.corrections.cardInactive")}</p>
      )}
    </section>
  );
}

/**
 * The confirmation step of a void, reached by the row's link (`?void=<id>`): a plain page
 * state, so it works without JavaScript. The reason is required; "keep it" goes back.
 */
export function VoidConfirmation({
  data,
  reply,
  cardHref,
}: {
  data: CardCorrectionsData;
  reply: CardCorrectionReply | undefined;
  cardHref: string;
}) {
  const { t } = useTranslation(["console", "common"]);
  const target = data.confirmVoid;
  const { form, fields, errorText } = useRouteForm<z.input<typeof voidSchema>, z.output<typeof voidSchema>>({
    id: "void",
    schema: voidSchema,
    lastResult: reply?.intent === "void" ? reply.result : undefined,
    namespace: "console",
  });
  const refused = errorText([
    ...(form.errors ?? []),
    ...(fields.idempotencyKey.errors ?? []),
    ...(fields.transactionId.errors ?? []),
  ]);
  if (!target) {
    // A void posted from elsewhere than its confirmation still gets its refusal shown.
    return refused.length ? (
      <section id="void-confirm" aria-labelledby="void-heading" className="panel">
        <h2 id="void-heading">{t("card.corrections.confirmTitle")}</h2>
        <ErrorList id="void-form-error" errors={refused} />
      </section>
    ) : null;
  }
  return (
    <section id="void-confirm" aria-labelledby="void-heading" className="panel">
      <h2 id="void-heading">{t("card.corrections.confirmTitle")}</h2>
      <p>
        {t("card.corrections.confirmBody", {
          activity: t(`common:transactionTypes.${target.type}`),
          date: target.date,
          change: target.change,
        })}
      </p>
      {target.voidable || refused.length ? (
        <Form method="post" {...getFormProps(form)} noValidate>
          <input type="hidden" name="intent" value="void" />
          <input type="hidden" name="idempotencyKey" value={data.operationKey} readOnly />
          <input type="hidden" name="transactionId" value={target.id} readOnly />
          <ErrorList id="void-form-error" errors={refused} />
          {target.voidable ? (
            <>
              <ReasonField field={fields.reason} errors={errorText(fields.reason.errors)} />
              <div className="form-actions">
                <SubmitButton>{t("card.corrections.confirmSubmit")}</SubmitButton>{" "}
                <Link to={cardHref}>{t("card.corrections.keep")}</Link>
              </div>
            </>
          ) : (
            <Link to={cardHref}>{t("card.corrections.back")}</Link>
          )}
        </Form>
      ) : (
        <>
          <p>{t("card.corrections.notVoidable")}</p>
          <Link to={cardHref}>{t("card.corrections.back")}</Link>
        </>
      )}
    </section>
  );
}
