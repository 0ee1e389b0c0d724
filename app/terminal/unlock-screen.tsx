import { compare } from "bcryptjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { type Bootstrap, type CounterStaffMember, NetworkError, type TerminalApi, TerminalApiError } from "./api";
import { Keypad } from "./keypad";
import { clearPinFailures, pinFailuresOf, recordPinFailure } from "./storage";
import { failureMessage } from "./strings";

/** The staff member whose PIN unlocked the terminal: every transaction names them. */
export interface UnlockedStaff {
  id: string;
  displayName: string;
}

const maxPinLength = 6;

/**
 * Who is at the counter: a name, then the PIN. Online the server checks it (and counts failures);
 * without a connection the device checks it against the downloaded bcrypt hash and keeps the
 * failures to report later, locking the PIN itself at the same threshold.
 */
export function UnlockScreen({
  api,
  bootstrap,
  onUnlocked,
  onLocked,
  onCutOff,
}: {
  api: TerminalApi;
  bootstrap: Bootstrap | null;
  onUnlocked: (staff: UnlockedStaff) => void;
  onLocked: (member: CounterStaffMember) => Promise<void>;
  onCutOff: () => Promise<void>;
}) {
  const { t } = useTranslation("terminal");
  const [selected, setSelected] = useState<CounterStaffMember | null>(null);
  const [pin, setPin] = useState("");
  const [message, setMessage] = useState<{ text: string; locked: boolean } | null>(null);
  const [busy, setBusy] = useState(false);

  if (!bootstrap) {
    return (
      <section className="terminal-panel" aria-labelledby="unlock-title">
        <h1 id="unlock-title">{t("unlock.title")}</h1>
        <p role="status">{t("unlock.noStaffYet")}</p>
      </section>
    );
  }

  if (!selected) {
    return (
      <section className="terminal-panel" aria-labelledby="unlock-title">
        <h1 id="unlock-title">{t("unlock.title")}</h1>
        {bootstrap.counterStaff.length === 0 ? <p>{t("unlock.noStaff")}</p> : <p>{t("unlock.chooseStaff")}</p>}
        <ul className="terminal-choices">
          {bootstrap.counterStaff.map((member) => (
            <li key={member.id}>
              <button
                type="button"
                className="terminal-button terminal-button-choice"
                onClick={() => {
                  setSelected(member);
                  setPin("");
                  setMessage(null);
                }}
              >
                {member.displayName}
              </button>
            </li>
          ))}
        </ul>
      </section>
    );
  }

  const member = selected;

  async function offlineCheck(): Promise<void> {
    if (await compare(pin, member.pinHash)) {
      // A success ends the run of failures: only wrong PINs typed after it are reported.
      await clearPinFailures(member.id);
      onUnlocked({ id: member.id, displayName: member.displayName });
      return;
    }
    const failures = await recordPinFailure(member.id);
    const locked = failures.count >= (bootstrap?.pinLockThreshold ?? 10);
    setMessage({ text: locked ? t("unlock.locked") : t("unlock.wrongPin"), locked });
  }

  async function submit() {
    if (!/^\d{4,6}$/.test(pin) || busy) {
      setMessage({ text: t("unlock.pinFormat"), locked: false });
      return;
    }
    setBusy(true);
    setMessage(null);
    try {
      const failures = await pinFailuresOf(member.id);
      if (failures && failures.count >= (bootstrap?.pinLockThreshold ?? 10)) {
        setMessage({ text: t("unlock.locked"), locked: true });
        return;
      }
      try {
        const { staff } = await api.verifyPin(member.id, pin);
        await clearPinFailures(member.id);
        onUnlocked(staff);
      } catch (error) {
        if (error instanceof NetworkError || (error instanceof TerminalApiError && error.retryable)) {
          await offlineCheck();
        } else if (error instanceof TerminalApiError && error.deviceCutOff) {
          await onCutOff();
        } else if (error instanceof TerminalApiError && error.code === "pin_locked") {
          setMessage({ text: t("unlock.locked"), locked: true });
          await onLocked(member);
        } else if (error instanceof TerminalApiError && error.code === "pin_incorrect") {
          setMessage({ text: t("unlock.wrongPin"), locked: false });
        } else {
          setMessage({ text: failureMessage(t, error), locked: false });
        }
      }
    } finally {
      setPin("");
      setBusy(false);
    }
  }

  return (
    <section className="terminal-panel" aria-labelledby="unlock-title">
      <h1 id="unlock-title">{t("unlock.pinTitle", { name: member.displayName })}</h1>
      <form
        className="terminal-form"
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <label htmlFor="pin">{t("unlock.pin")}</label>
        <input
          id="pin"
          name="pin"
          type="password"
          inputMode="numeric"
          autoComplete="off"
          className="terminal-input terminal-input-pin"
          value={pin}
          maxLength={maxPinLength}
          onChange={(event) => setPin(event.target.value.replace(/\D/g, "").slice(0, maxPinLength))}
          aria-describedby={message ? "pin-message" : undefined}
          aria-invalid={message ? true : undefined}
        />
        {message ? (
          <p
            id="pin-message"
            className={message.locked ? "terminal-error terminal-locked" : "terminal-error"}
            role="alert"
          >
            {message.text}
          </p>
        ) : null}
        <Keypad
          label={t("unlock.keypad")}
          onDigit={(digit) => setPin((current) => (current.length < maxPinLength ? current + digit : current))}
          onBack={() => setPin((current) => current.slice(0, -1))}
        />
        <div className="terminal-actions">
          <button type="submit" className="terminal-button terminal-button-primary" disabled={busy}>
            {t("unlock.submit")}
          </button>
          <button type="button" className="terminal-button" onClick={() => setSelected(null)}>
            {t("unlock.otherStaff")}
          </button>
        </div>
      </form>
    </section>
  );
}
