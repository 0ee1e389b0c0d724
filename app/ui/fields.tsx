import {
  type DefaultValue,
  type FieldMetadata,
  getCollectionProps,
  type SubmissionResult,
  useForm,
} from "@conform-to/react";
import {
  type InputHTMLAttributes,
  type LabelHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
  useEffect,
  useState,
} from "react";
import { useTranslation } from "react-i18next";
import { useNavigation } from "react-router";

// The form's pieces without a validator: a page validated on the server alone (the join page) imports
// these and ships no zod; ~/ui/form adds the browser-side validation and re-exports them.
export type ErrorNamespace = "storefront" | "common" | "console";

/** A field's error keys, translated for display. */
export type ErrorText = (errors: string[] | undefined) => string[];

/**
 * Resolves error keys from a schema (e.g. `join.errors.emailInvalid`) in the page's language;
 * `values` fill their placeholders (the store's example phone number).
 */
export function useErrorText(namespace: ErrorNamespace, values?: Record<string, string>): ErrorText {
  const { t } = useTranslation(namespace);
  return (errors: string[] | undefined) => (errors ?? []).map((key) => String(t(key as never, values as never)));
}

/** One link of the error summary: the message, pointing at the control to fix. */
export interface ErrorLink {
  href: string;
  text: string;
}

/** The error summary's links, built from the element id each field's message should lead to, in page order. */
export function errorSummaryOf(errorText: ErrorText) {
  return (targets: Record<string, { errors?: string[] }>): ErrorLink[] =>
    Object.entries(targets).flatMap(([id, field]) => errorText(field.errors).map((text) => ({ href: `#${id}`, text })));
}

/**
 * A form checked on the server alone (~/ui/form's `useRouteForm` also checks in the browser): the
 * action's `submission.reply()` comes back as `lastResult` and puts each error next to its field,
 * with or without JavaScript. Nothing is checked as the user types, so nothing moves under the pointer.
 */
export function useServerForm<Input extends Record<string, unknown>>(options: {
  id: string;
  lastResult: SubmissionResult<string[]> | null | undefined;
  namespace: ErrorNamespace;
  defaultValue?: DefaultValue<Input>;
  errorValues?: Record<string, string>;
}) {
  const [form, fields] = useForm<Input>({
    id: options.id,
    lastResult: options.lastResult,
    defaultValue: options.defaultValue,
    shouldValidate: "onSubmit",
  });
  const errorText = useErrorText(options.namespace, options.errorValues);
  return { form, fields, errorText, errorSummary: errorSummaryOf(errorText) };
}

/** The messages of one field or group, next to it; its id is what the control's aria-describedby names. */
export function ErrorList({ id, errors }: { id: string; errors: string[] }) {
  if (errors.length === 0) return null;
  return (
    <p id={id} className="field-error">
      {errors.map((error) => (
        <span key={error}>{error}</span>
      ))}
    </p>
  );
}

export type LabelProps = Omit<LabelHTMLAttributes<HTMLLabelElement>, "htmlFor"> & { children: ReactNode };

/**
 * The aria wiring every control shares, derived from its id: `<id>-hint`, `<id>-error`. Conform's own
 * aria attributes are dropped because they name conform's generated id, which a page may override.
 */
function controlAria<P extends { id?: string; required?: boolean; "aria-required"?: boolean | "true" | "false" }>(
  props: P & { "aria-describedby"?: string; "aria-invalid"?: unknown },
  errors: string[],
  hint: boolean,
  describedBy?: string,
) {
  const { "aria-describedby": _conformDescribedBy, "aria-invalid": _conformInvalid, ...control } = props;
  const id = control.id ?? "";
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const ids = [hint ? hintId : null, errors.length ? errorId : null, describedBy ?? null].filter(Boolean).join(" ");
  return {
    id,
    hintId,
    errorId,
    control: {
      ...control,
      "aria-required": control.required || control["aria-required"] || undefined,
      "aria-describedby": ids || undefined,
      "aria-invalid": errors.length ? (true as const) : undefined,
    },
  };
}

/** The control's label; its text is the accessible name the journeys and screen readers use. */
function Label({ id, children, ...props }: LabelProps & { id: string }) {
  return (
    <label htmlFor={id} {...props}>
      {children}
    </label>
  );
}

function FieldFrame({
  id,
  hintId,
  errorId,
  labelProps,
  hint,
  errors,
  children,
}: {
  id: string;
  hintId: string;
  errorId: string;
  labelProps: LabelProps;
  hint?: ReactNode;
  errors: string[];
  children: ReactNode;
}) {
  return (
    <div className={errors.length ? "field field-invalid" : "field"}>
      <Label id={id} {...labelProps} />
      {hint ? (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      ) : null}
      <ErrorList id={errorId} errors={errors} />
      {children}
    </div>
  );
}

type InputProps = InputHTMLAttributes<HTMLInputElement> & { id: string };

/**
 * A labelled input with its hint and error next to it, e.g.
 * `<Field labelProps={{ children: t("…") }} inputProps={{ ...getInputProps(fields.name, { type: "text" }), autoComplete: "off" }} errors={errorText(fields.name.errors)} />`.
 */
export function Field({
  labelProps,
  inputProps,
  errors,
  hint,
}: {
  labelProps: LabelProps;
  inputProps: InputProps;
  errors: string[];
  hint?: ReactNode;
}) {
  const { control, ...ids } = controlAria(inputProps, errors, Boolean(hint));
  return (
    <FieldFrame {...ids} labelProps={labelProps} hint={hint} errors={errors}>
      <input {...control} />
    </FieldFrame>
  );
}

/** A labelled textarea, like Field; `describedBy` adds ids of further help outside the field. */
export function TextareaField({
  labelProps,
  textareaProps,
  errors,
  hint,
  describedBy,
}: {
  labelProps: LabelProps;
  textareaProps: TextareaHTMLAttributes<HTMLTextAreaElement> & { id: string };
  errors: string[];
  hint?: ReactNode;
  describedBy?: string;
}) {
  const { control, ...ids } = controlAria(textareaProps, errors, Boolean(hint), describedBy);
  return (
    <FieldFrame {...ids} labelProps={labelProps} hint={hint} errors={errors}>
      <textarea {...control} />
    </FieldFrame>
  );
}

/** A labelled select, like Field. */
export function SelectField({
  labelProps,
  selectProps,
  options,
  groups,
  errors,
  hint,
}: {
  labelProps: LabelProps;
  selectProps: SelectHTMLAttributes<HTMLSelectElement> & { id: string };
  options: { value: string; label: string }[];
  /** Options under headings (`<optgroup>`), after the ungrouped `options`. */
  groups?: { label: string; options: { value: string; label: string }[] }[];
  errors: string[];
  hint?: ReactNode;
}) {
  const { control, ...ids } = controlAria(selectProps, errors, Boolean(hint));
  const optionList = (list: { value: string; label: string }[]) =>
    list.map((option) => (
      <option key={option.value} value={option.value}>
        {option.label}
      </option>
    ));
  return (
    <FieldFrame {...ids} labelProps={labelProps} hint={hint} errors={errors}>
      <select {...control}>
        {optionList(options)}
        {groups?.map((group) => (
          <optgroup key={group.label} label={group.label}>
            {optionList(group.options)}
          </optgroup>
        ))}
      </select>
    </FieldFrame>
  );
}

/**
 * A password input with an eye toggle that reveals only what is typed in it (nothing is ever
 * pre-filled: pass `getInputProps(field, { type: "password", value: false })`). The toggle needs
 * JavaScript: it appears once hydrated, never as a dead button.
 */
export function PasswordField({
  labelProps,
  inputProps,
  errors,
  hint,
  showLabel,
}: {
  labelProps: LabelProps;
  inputProps: InputProps;
  errors: string[];
  hint?: ReactNode;
  showLabel: string;
}) {
  const [shown, setShown] = useState(false);
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  const { control, ...ids } = controlAria(inputProps, errors, Boolean(hint));
  return (
    <FieldFrame {...ids} labelProps={labelProps} hint={hint} errors={errors}>
      <div className="password-row">
        <input {...control} type={shown ? "text" : "password"} />
        {hydrated ? (
          <button
            type="button"
            className="button button-secondary"
            aria-controls={ids.id}
            aria-pressed={shown}
            onClick={() => setShown((value) => !value)}
          >
            {showLabel}
          </button>
        ) : null}
      </div>
    </FieldFrame>
  );
}

/** One checkbox with its label after it, its error above it; `children` follow the label (a terms link). */
export function CheckboxField({
  labelProps,
  inputProps,
  errors = [],
  children,
}: {
  labelProps: LabelProps;
  inputProps: InputProps;
  errors?: string[];
  children?: ReactNode;
}) {
  const { control, id, errorId } = controlAria(inputProps, errors, false);
  return (
    <div className={errors.length ? "field checkbox-field field-invalid" : "field checkbox-field"}>
      <ErrorList id={errorId} errors={errors} />
      <input {...control} />
      <Label id={id} {...labelProps} />
      {children}
    </div>
  );
}

/**
 * A group of radio buttons (one choice) or checkboxes (several) under a legend, from conform's
 * `getCollectionProps`: each option's id is `<field id>-<value>`, the group's error is `<field id>-error`.
 */
export function ChoiceFieldset({
  legend,
  field,
  type,
  options,
  errors,
  id,
}: {
  legend: string;
  field: FieldMetadata<string | string[] | undefined, Record<string, unknown>>;
  type: "radio" | "checkbox";
  options: { value: string; label: string }[];
  errors: string[];
  /** The fieldset's id, when the error summary links to the group rather than its first option. */
  id?: string;
}) {
  const errorId = `${field.id}-error`;
  const inputs = getCollectionProps(field, {
    type,
    options: options.map((option) => option.value),
    ariaAttributes: false,
  });
  return (
    <fieldset
      className={errors.length ? "field field-invalid" : "field"}
      id={id}
      aria-describedby={errors.length ? errorId : undefined}
    >
      <legend>{legend}</legend>
      <ErrorList id={errorId} errors={errors} />
      {inputs.map(({ key, ...input }, index) => (
        <div key={key} className="checkbox-field">
          <input {...input} />
          <label htmlFor={input.id}>{options[index]?.label}</label>
        </div>
      ))}
    </fieldset>
  );
}

export function ErrorSummary({ title, items }: { title: string; items: ErrorLink[] }) {
  if (items.length === 0) return null;
  return (
    <div className="error-summary" role="alert" tabIndex={-1}>
      <h2>{title}</h2>
      <ul>
        {items.map((item) => (
          <li key={`${item.href}${item.text}`}>
            <a href={item.href}>{item.text}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function FormMessage({ children, tone }: { children: ReactNode; tone: "error" | "info" }) {
  return (
    <div className={`form-message form-message-${tone}`} role={tone === "error" ? "alert" : "status"}>
      {children}
    </div>
  );
}

/**
 * The form's submit button: busy (and not clickable twice) while the submission is on its way. Its
 * spinner shows while it is `aria-busy`, which a page without React sets too (`SubmitOnceScript`).
 */
export function SubmitButton({ children }: { children: ReactNode }) {
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  return (
    <button type="submit" className="button button-primary" aria-busy={busy || undefined} disabled={busy}>
      {children}
      <span className="spinner" aria-hidden="true" />
    </button>
  );
}

/**
 * The top of a form page: the page title (prefixed when the form has errors, so screen readers
 * hear it first), the heading, confirmation notices and the error summary.
 */
export function FormPageHeading({
  title,
  errors,
  notices = [],
}: {
  title: string;
  errors: ErrorLink[];
  notices?: (string | null)[];
}) {
  const { t } = useTranslation("common");
  const problem = t("form.errorSummary");
  return (
    <>
      <title>{errors.length ? t("form.titleWithErrors", { problem, title }) : title}</title>
      <h1>{title}</h1>
      {notices.map((notice) =>
        notice ? (
          <FormMessage key={notice} tone="info">
            {notice}
          </FormMessage>
        ) : null,
      )}
      <ErrorSummary title={problem} items={errors} />
    </>
  );
}
