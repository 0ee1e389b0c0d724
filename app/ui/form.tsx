import { type ReactNode, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigation } from "react-router";

/** Resolves error keys from a schema (e.g. `join.errors.emailInvalid`) in the page's language. */
export function useErrorText(namespace: "storefront" | "common" | "console") {
  const { t } = useTranslation(namespace);
  return (errors: string[] | undefined) => (errors ?? []).map((key) => t(key as never) as string);
}

export function FieldError({ id, errors }: { id: string; errors: string[] }) {
  if (errors.length === 0) return null;
  return (
    <p id={id} className="field-error">
      {errors.map((error) => (
        <span key={error}>{error}</span>
      ))}
    </p>
  );
}

export interface TextFieldProps {
  id: string;
  name: string;
  label: string;
  hint?: string;
  errors: string[];
  type?: "text" | "email" | "tel" | "url" | "password";
  autoComplete: string;
  defaultValue?: string;
  required?: boolean;
  inputMode?: "text" | "email" | "tel" | "numeric";
  maxLength?: number;
}

/**
 * Label, hint and error of one control, the error next to it. `children` receives the control's
 * aria attributes (describedby: hint and error ids; invalid) so every field ties them the same way.
 */
export function Field({
  id,
  label,
  hint,
  errors,
  children,
}: {
  id: string;
  label: string;
  hint?: ReactNode;
  errors: string[];
  children: (aria: { "aria-describedby"?: string; "aria-invalid"?: true }) => ReactNode;
}) {
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : null, errors.length ? errorId : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={errors.length ? "field field-invalid" : "field"}>
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      ) : null}
      <FieldError id={errorId} errors={errors} />
      {children({ "aria-describedby": describedBy, "aria-invalid": errors.length ? true : undefined })}
    </div>
  );
}

export function TextField({
  id,
  name,
  label,
  hint,
  errors,
  type = "text",
  autoComplete,
  defaultValue,
  required,
  inputMode,
  maxLength,
}: TextFieldProps) {
  return (
    <Field id={id} label={label} hint={hint} errors={errors}>
      {(aria) => (
        <input
          id={id}
          name={name}
          type={type}
          autoComplete={autoComplete}
          defaultValue={defaultValue}
          required={required}
          aria-required={required || undefined}
          inputMode={inputMode}
          maxLength={maxLength}
          {...aria}
        />
      )}
    </Field>
  );
}

/**
 * A password input with an eye toggle that reveals only what is typed in it (nothing is ever
 * pre-filled). The toggle needs JavaScript: it appears once hydrated, never as a dead button.
 */
export function PasswordField({
  id,
  name,
  label,
  hint,
  errors,
  autoComplete,
  showLabel,
  required,
  maxLength = 200,
}: Omit<TextFieldProps, "type" | "defaultValue" | "inputMode"> & { showLabel: string }) {
  const [shown, setShown] = useState(false);
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return (
    <Field id={id} label={label} hint={hint} errors={errors}>
      {(aria) => (
        <div className="password-row">
          <input
            id={id}
            name={name}
            type={shown ? "text" : "password"}
            autoComplete={autoComplete}
            required={required}
            aria-required={required || undefined}
            maxLength={maxLength}
            {...aria}
          />
          {hydrated ? (
            <button
              type="button"
              className="button button-secondary"
              aria-controls={id}
              aria-pressed={shown}
              onClick={() => setShown((value) => !value)}
            >
              {showLabel}
            </button>
          ) : null}
        </div>
      )}
    </Field>
  );
}

export function ErrorSummary({ title, items }: { title: string; items: { href: string; text: string }[] }) {
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

export interface SelectFieldProps {
  id: string;
  name: string;
  label: string;
  errors: string[];
  defaultValue?: string;
  options: { value: string; label: string }[];
}

/** A labelled select with its error next to it, like TextField. */
export function SelectField({ id, name, label, errors, defaultValue, options }: SelectFieldProps) {
  const errorId = `${id}-error`;
  return (
    <div className={errors.length ? "field field-invalid" : "field"}>
      <label htmlFor={id}>{label}</label>
      <FieldError id={errorId} errors={errors} />
      <select
        id={id}
        name={name}
        defaultValue={defaultValue}
        aria-invalid={errors.length ? true : undefined}
        aria-describedby={errors.length ? errorId : undefined}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** The form's submit button: busy (and not clickable twice) while the submission is on its way. */
export function SubmitButton({ children }: { children: ReactNode }) {
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  return (
    <button type="submit" className="button button-primary" aria-busy={busy || undefined} disabled={busy}>
      {children}
      {busy ? <span className="spinner" aria-hidden="true" /> : null}
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
  errors: { href: string; text: string }[];
  notices?: (string | null)[];
}) {
  const { t } = useTranslation("common");
  const problem = t("errors.badRequest.title");
  return (
    <>
      <title>{errors.length ? `${problem}: ${title}` : title}</title>
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
