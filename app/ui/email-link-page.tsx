import { getFormProps, getInputProps, type SubmissionResult } from "@conform-to/react";
import type { ReactNode } from "react";
import { Form } from "react-router";
import type { z } from "zod";
import { Field, FormMessage, SubmitButton, useRouteForm } from "./form";

/** What the action answers: the form's reply, and whether the link went out or the address was rate limited. */
export interface EmailLinkActionData {
  result: SubmissionResult<string[]>;
  outcome: "sent" | "rateLimited" | null;
}

/**
 * The body of an "email me a link" page (a staff password reset, a shopper's card link): one email
 * field, the same answer whether or not the address is known, and a message when too many were
 * asked for. Each route keeps its own loader, action and words; `children` follow the form.
 */
export function EmailLinkPage({
  id,
  schema,
  namespace,
  actionData,
  copy,
  email,
  children,
}: {
  id: string;
  schema: z.ZodType<{ email: string }, { email: string }>;
  namespace: "console" | "storefront";
  actionData: EmailLinkActionData | undefined;
  copy: { title: string; intro: string; email: string; submit: string; sent: string; rateLimited: string };
  email: { autoComplete: "email" | "username"; inputMode?: "email" };
  children?: ReactNode;
}) {
  // One field and its button: checking on blur would show a message as the pointer presses the
  // button, move the button away and lose the click. Check on submit, then again as the user types.
  const { form, fields, errorText } = useRouteForm({
    id,
    schema,
    lastResult: actionData?.result,
    namespace,
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
  return (
    <main id="main" className="page page-narrow">
      <title>{copy.title}</title>
      <h1>{copy.title}</h1>
      <p>{copy.intro}</p>
      {actionData?.outcome === "sent" ? <FormMessage tone="info">{copy.sent}</FormMessage> : null}
      {actionData?.outcome === "rateLimited" ? <FormMessage tone="error">{copy.rateLimited}</FormMessage> : null}
      <Form method="post" {...getFormProps(form)} noValidate>
        <Field
          labelProps={{ children: copy.email }}
          inputProps={{
            ...getInputProps(fields.email, { type: "email" }),
            id: "email",
            required: true,
            maxLength: 254,
            ...email,
          }}
          errors={errorText(fields.email.errors)}
        />
        <SubmitButton>{copy.submit}</SubmitButton>
      </Form>
      {children}
    </main>
  );
}
