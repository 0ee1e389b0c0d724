import { useState } from "react";
import { useTranslation } from "react-i18next";
import { isLocale, type Locale, locales } from "~/i18n/locales";
import { type AmountKey, decimalSeparator, displayEntry, entryCents, formatCents, pressAmountKey } from "./amount";
import {
  type Bootstrap,
  type Card,
  NetworkError,
  type Reward,
  type TerminalApi,
  TerminalApiError,
  type TransactionRequest,
  type TransactionResult,
} from "./api";
import { CodeScanner } from "./code-scanner";
import { Keypad } from "./keypad";
import { enqueue } from "./storage";
import { failureMessage } from "./strings";
import type { UnlockedStaff } from "./unlock-screen";

/** The card staff are serving: as the server knows it, or only its number when offline. */
type CounterCard = { kind: "known"; card: Card } | { kind: "offline"; reference: string };

type Step =
  | { kind: "find" }
  | { kind: "card"; card: CounterCard }
  | { kind: "earn"; card: CounterCard }
  | { kind: "redeem"; card: CounterCard }
  | { kind: "enroll" }
  | { kind: "done"; result: TransactionResult | null; request: TransactionRequest };

type NewTransaction =
  | { type: "earn"; card: string; amountCents: number }
  | { type: "stamp"; card: string }
  | { type: "redeem"; card: string; rewardId: string }
  | { type: "enroll"; firstName: string; lastName: string; email: string; locale: Locale };

/** The counter, unlocked: find a card (or enroll), then stamp, earn or redeem. */
export function CounterScreen({
  api,
  bootstrap,
  staff,
  queued,
  onQueued,
  onCutOff,
}: {
  api: TerminalApi;
  bootstrap: Bootstrap;
  staff: UnlockedStaff;
  queued: number;
  onQueued: () => Promise<void>;
  onCutOff: () => Promise<void>;
}) {
  const { t, i18n } = useTranslation("terminal");
  const locale: Locale = isLocale(i18n.language) ? i18n.language : "en";
  const [step, setStep] = useState<Step>({ kind: "find" });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const program = bootstrap.program;

  function go(next: Step) {
    setError(null);
    setStep(next);
  }

  /** Online when possible; queued (same idempotency key) when the server cannot be reached. */
  async function record(transaction: NewTransaction) {
    if (busy) return;
    setBusy(true);
    setError(null);
    const request = {
      ...transaction,
      idempotencyKey: crypto.randomUUID(),
      staffId: staff.id,
      clientTime: new Date().toISOString(),
    } as TransactionRequest;
    try {
      // Behind a non-empty queue, a new operation waits its turn: a card's operations stay in order.
      if (queued > 0) {
        await enqueue(request);
        await onQueued();
        go({ kind: "done", result: null, request });
        return;
      }
      try {
        go({ kind: "done", result: await api.record(request), request });
      } catch (failure) {
        if (failure instanceof NetworkError || (failure instanceof TerminalApiError && failure.retryable)) {
          await enqueue(request);
          await onQueued();
          go({ kind: "done", result: null, request });
        } else if (failure instanceof TerminalApiError && failure.deviceCutOff) {
          await onCutOff();
        } else {
          setError(failureMessage(t, failure));
        }
      }
    } finally {
      setBusy(false);
    }
  }

  if (!program) {
    return (
      <section className="terminal-panel">
        <h1>{t("counter.noProgram")}</h1>
      </section>
    );
  }

  const errorBox = error ? (
    <p className="terminal-error" role="alert">
      {error}
    </p>
  ) : null;

  switch (step.kind) {
    case "find":
      return (
        <FindCard
          api={api}
          onFound={(card) => go({ kind: "card", card })}
          onEnroll={() => go({ kind: "enroll" })}
          onCutOff={onCutOff}
        />
      );
    case "card": {
      const { card } = step;
      const reference = card.kind === "known" ? card.card.cardNumber : card.reference;
      return (
        <section className="terminal-panel" aria-labelledby="card-title">
          <h1 id="card-title">
            {card.kind === "known" ? `${card.card.firstName} ${card.card.lastName}` : t("card.offlineTitle")}
          </h1>
          <p className="terminal-card-number">{t("card.number", { number: formatCardNumber(reference) })}</p>
          {card.kind === "known" ? (
            <p className="terminal-balance">
              {program.kind === "points"
                ? t("card.points", { count: card.card.pointsBalance })
                : t("card.stamps", { count: card.card.stampsBalance })}
            </p>
          ) : (
            <p className="terminal-notice">{t("card.offline")}</p>
          )}
          {card.kind === "known" && card.card.status !== "active" ? (
            <p className="terminal-error">{t("card.inactive")}</p>
          ) : null}
          {errorBox}
          <div className="terminal-actions terminal-actions-big">
            {program.kind === "points" ? (
              <button
                type="button"
                className="terminal-button terminal-button-primary"
                onClick={() => go({ kind: "earn", card })}
              >
                {t("card.earn")}
              </button>
            ) : (
              <button
                type="button"
                className="terminal-button terminal-button-primary"
                disabled={busy}
                onClick={() => void record({ type: "stamp", card: reference })}
              >
                {t("card.stamp", { count: program.stampsPerPurchase })}
              </button>
            )}
            <button type="button" className="terminal-button" onClick={() => go({ kind: "redeem", card })}>
              {t("card.redeem")}
            </button>
            <button type="button" className="terminal-button" onClick={() => go({ kind: "find" })}>
              {t("card.otherCustomer")}
            </button>
          </div>
        </section>
      );
    }
    case "earn":
      return (
        <EarnAmount
          locale={locale}
          busy={busy}
          error={errorBox}
          onRecord={(amountCents) => void record({ type: "earn", card: cardReference(step.card), amountCents })}
          onCancel={() => go({ kind: "card", card: step.card })}
        />
      );
    case "redeem": {
      const { card } = step;
      const balance =
        card.kind === "known" ? (program.kind === "points" ? card.card.pointsBalance : card.card.stampsBalance) : null;
      const rewards = program.rewards.filter((reward) => balance === null || reward.cost <= balance);
      return (
        <section className="terminal-panel" aria-labelledby="redeem-title">
          <h1 id="redeem-title">{t("redeem.title")}</h1>
          {balance === null ? <p className="terminal-notice">{t("redeem.offline")}</p> : null}
          {rewards.length === 0 ? <p>{t("redeem.none")}</p> : null}
          {errorBox}
          <ul className="terminal-choices">
            {rewards.map((reward) => (
              <li key={reward.id}>
                <button
                  type="button"
                  className="terminal-button terminal-button-choice"
                  disabled={busy}
                  onClick={() => void record({ type: "redeem", card: cardReference(card), rewardId: reward.id })}
                >
                  {rewardName(reward, locale)}
                  <span className="terminal-cost">
                    {program.kind === "points"
                      ? t("redeem.costPoints", { count: reward.cost })
                      : t("redeem.costStamps", { count: reward.cost })}
                  </span>
                </button>
              </li>
            ))}
          </ul>
          <button type="button" className="terminal-button" onClick={() => go({ kind: "card", card })}>
            {t("common.back")}
          </button>
        </section>
      );
    }
    case "enroll":
      return (
        <EnrollForm
          locale={locale}
          busy={busy}
          error={errorBox}
          onEnroll={(customer) => void record({ type: "enroll", ...customer })}
          onCancel={() => go({ kind: "find" })}
        />
      );
    case "done":
      return <Done step={step} programKind={program.kind} onNext={() => go({ kind: "find" })} />;
  }
}

function cardReference(card: CounterCard): string {
  return card.kind === "known" ? card.card.cardNumber : card.reference;
}

/** "1234 5678 9012 3456" for a card number; anything else (a scanned URL) as it is. */
function formatCardNumber(reference: string): string {
  const digits = reference.replace(/[\s-]/g, "");
  return /^\d{16}$/.test(digits) ? digits.replace(/(\d{4})(?=\d)/g, "$1 ") : reference;
}

function rewardName(reward: Reward, locale: Locale): string {
  return reward.nameTranslations[locale] || reward.nameTranslations.en || reward.name;
}

function FindCard({
  api,
  onFound,
  onEnroll,
  onCutOff,
}: {
  api: TerminalApi;
  onFound: (card: CounterCard) => void;
  onEnroll: () => void;
  onCutOff: () => Promise<void>;
}) {
  const { t } = useTranslation("terminal");
  const [code, setCode] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [scanning, setScanning] = useState(false);

  async function find(reference: string) {
    const trimmed = reference.trim();
    if (!trimmed) {
      setError(t("find.required"));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onFound({ kind: "known", card: await api.findCard(trimmed) });
    } catch (failure) {
      if (failure instanceof NetworkError) {
        onFound({ kind: "offline", reference: trimmed.replace(/[\s-]/g, "") || trimmed });
      } else if (failure instanceof TerminalApiError && failure.deviceCutOff) {
        await onCutOff();
      } else {
        setError(failureMessage(t, failure));
        setBusy(false);
      }
    }
  }

  return (
    <section className="terminal-panel" aria-labelledby="find-title">
      <h1 id="find-title">{t("find.title")}</h1>
      <form
        className="terminal-form"
        onSubmit={(event) => {
          event.preventDefault();
          void find(code);
        }}
      >
        <label htmlFor="card-code">{t("find.cardNumber")}</label>
        <input
          id="card-code"
          name="card"
          className="terminal-input"
          inputMode="numeric"
          autoComplete="off"
          value={code}
          onChange={(event) => setCode(event.target.value)}
          aria-describedby={error ? "find-error" : undefined}
          aria-invalid={error ? true : undefined}
        />
        {error ? (
          <p id="find-error" className="terminal-error" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" className="terminal-button terminal-button-primary" disabled={busy}>
          {t("find.submit")}
        </button>
      </form>
      {scanning ? (
        <CodeScanner
          label={t("find.scanTitle")}
          onCode={(scanned) => {
            setScanning(false);
            setCode(scanned);
            void find(scanned);
          }}
          onClose={() => setScanning(false)}
        />
      ) : (
        <div className="terminal-actions terminal-actions-big">
          <button type="button" className="terminal-button" onClick={() => setScanning(true)}>
            {t("find.scan")}
          </button>
          <button type="button" className="terminal-button" onClick={onEnroll}>
            {t("find.enroll")}
          </button>
        </div>
      )}
    </section>
  );
}

function EarnAmount({
  locale,
  busy,
  error,
  onRecord,
  onCancel,
}: {
  locale: Locale;
  busy: boolean;
  error: React.ReactNode;
  onRecord: (amountCents: number) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation("terminal");
  const [entry, setEntry] = useState("");
  const cents = entryCents(entry);
  const press = (key: AmountKey) => setEntry((current) => pressAmountKey(current, key));
  return (
    <section className="terminal-panel" aria-labelledby="earn-title">
      <h1 id="earn-title">{t("earn.title")}</h1>
      <p className="terminal-amount" aria-live="polite">
        <span className="visually-hidden">{t("earn.amount")} </span>
        {displayEntry(entry, locale)} €
      </p>
      {error}
      <Keypad
        label={t("earn.keypad")}
        onDigit={(digit) => press(digit as AmountKey)}
        onBack={() => press("back")}
        decimal={{ separator: decimalSeparator(locale), label: t("keypad.decimal"), onPress: () => press("decimal") }}
      />
      <div className="terminal-actions">
        <button
          type="button"
          className="terminal-button terminal-button-primary"
          disabled={busy || !cents}
          onClick={() => cents && onRecord(cents)}
        >
          {cents ? t("earn.submit", { amount: formatCents(cents, locale) }) : t("earn.enterAmount")}
        </button>
        <button type="button" className="terminal-button" onClick={onCancel}>
          {t("common.back")}
        </button>
      </div>
    </section>
  );
}

function EnrollForm({
  locale,
  busy,
  error,
  onEnroll,
  onCancel,
}: {
  locale: Locale;
  busy: boolean;
  error: React.ReactNode;
  onEnroll: (customer: { firstName: string; lastName: string; email: string; locale: Locale }) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation("terminal");
  return (
    <section className="terminal-panel" aria-labelledby="enroll-title">
      <h1 id="enroll-title">{t("enroll.title")}</h1>
      <form
        className="terminal-form"
        onSubmit={(event) => {
          event.preventDefault();
          const form = new FormData(event.currentTarget);
          const language = String(form.get("locale"));
          onEnroll({
            firstName: String(form.get("firstName")).trim(),
            lastName: String(form.get("lastName")).trim(),
            email: String(form.get("email")).trim(),
            locale: isLocale(language) ? language : locale,
          });
        }}
      >
        <EnrollInput name="firstName" label={t("enroll.firstName")} maxLength={100} />
        <EnrollInput name="lastName" label={t("enroll.lastName")} maxLength={100} />
        <EnrollInput name="email" type="email" label={t("enroll.email")} maxLength={254} />
        <label htmlFor="enroll-locale">{t("enroll.language")}</label>
        <select id="enroll-locale" name="locale" className="terminal-input" defaultValue={locale}>
          {locales.map((lang) => (
            <option key={lang} value={lang} lang={lang}>
              {t(`language.names.${lang}`)}
            </option>
          ))}
        </select>
        {error}
        <div className="terminal-actions">
          <button type="submit" className="terminal-button terminal-button-primary" disabled={busy}>
            {t("enroll.submit")}
          </button>
          <button type="button" className="terminal-button" onClick={onCancel}>
            {t("common.back")}
          </button>
        </div>
      </form>
    </section>
  );
}

/** A required text field of the enrollment form, its label above it (ids derived from the name: enroll-first-name). */
function EnrollInput({
  name,
  label,
  type = "text",
  maxLength,
}: {
  name: string;
  label: string;
  type?: "text" | "email";
  maxLength: number;
}) {
  const id = `enroll-${name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
  return (
    <>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        name={name}
        type={type}
        className="terminal-input"
        autoComplete="off"
        required
        maxLength={maxLength}
      />
    </>
  );
}

function Done({
  step,
  programKind,
  onNext,
}: {
  step: Extract<Step, { kind: "done" }>;
  programKind: "points" | "stamps";
  onNext: () => void;
}) {
  const { t } = useTranslation("terminal");
  const { result, request } = step;
  return (
    <section className="terminal-panel" aria-labelledby="done-title">
      <h1 id="done-title">{result ? t(`done.recorded.${request.type}`) : t("done.queuedTitle")}</h1>
      <div role="status">
        {result === null ? <p>{t("done.queued")}</p> : null}
        {result?.enrollment === "existing" ? <p>{t("done.existing")}</p> : null}
        {result ? (
          <>
            <p className="terminal-card-number">{t("card.number", { number: formatCardNumber(result.cardNumber) })}</p>
            <p className="terminal-balance">
              {programKind === "points"
                ? t("done.balancePoints", { count: result.balance.points })
                : t("done.balanceStamps", { count: result.balance.stamps })}
            </p>
          </>
        ) : null}
      </div>
      <button type="button" className="terminal-button terminal-button-primary" onClick={onNext}>
        {t("done.next")}
      </button>
    </section>
  );
}
