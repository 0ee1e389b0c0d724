import { type DefaultValue, type SubmissionResult, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { z } from "zod";
import { type ErrorNamespace, errorSummaryOf, useErrorText } from "./fields";

export * from "./fields";

/**
 * The house form: conform's `useForm` validated with the route's zod schema in the browser (on
 * blur, again as the user fixes a field when `shouldRevalidate` is `onInput`) and on the server,
 * whose `submission.reply()` comes back as `lastResult`. Without JavaScript the server's reply
 * alone fills the same fields. `errorText` translates a field's error keys; `errorSummary` builds
 * the summary's links (see `errorSummaryOf`).
 */
export function useRouteForm<Input extends Record<string, unknown>, Output = Input>(options: {
  id: string;
  schema: z.ZodType<Output, Input>;
  lastResult: SubmissionResult<string[]> | null | undefined;
  namespace: ErrorNamespace;
  defaultValue?: DefaultValue<Input>;
  /** When a field is first checked in the browser (`onBlur` unless a page says otherwise). */
  shouldValidate?: "onBlur" | "onSubmit";
  shouldRevalidate?: "onBlur" | "onInput";
  /** What the server does to the form data before parsing it, done in the browser too. */
  prepare?: (formData: FormData) => FormData;
}) {
  const { schema, prepare } = options;
  const [form, fields] = useForm<Input, Output>({
    id: options.id,
    lastResult: options.lastResult,
    shouldValidate: options.shouldValidate ?? "onBlur",
    shouldRevalidate: options.shouldRevalidate ?? "onBlur",
    defaultValue: options.defaultValue,
    onValidate: ({ formData }) => parseWithZod(prepare ? prepare(formData) : formData, { schema }),
  });
  const errorText = useErrorText(options.namespace);
  return { form, fields, errorText, errorSummary: errorSummaryOf(errorText) };
}
