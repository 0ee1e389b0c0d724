import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { PairResponse, TerminalApi } from "./api";
import { CodeScanner } from "./code-scanner";
import { failureMessage } from "./strings";

/** First start (or after revocation): the manager's one-time code, typed or scanned from the portal's QR. */
export function PairingScreen({
  api,
  revoked,
  onPaired,
}: {
  api: TerminalApi;
  revoked: boolean;
  onPaired: (response: PairResponse) => Promise<void>;
}) {
  const { t } = useTranslation("terminal");
  const [code, setCode] = useState("");
  const [name, setName] = useState(() => t("pairing.defaultName"));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [scanning, setScanning] = useState(false);

  async function pair(pairingCode: string) {
    setBusy(true);
    setError(null);
    try {
      await onPaired(await api.pair(pairingCode.trim(), name.trim() || t("pairing.defaultName")));
    } catch (failure) {
      setError(failureMessage(t, failure));
      setBusy(false);
    }
  }

  return (
    <section className="terminal-panel" aria-labelledby="pairing-title">
      <h1 id="pairing-title">{t("pairing.title")}</h1>
      {revoked ? (
        <p className="terminal-notice" role="alert">
          {t("pairing.revoked")}
        </p>
      ) : null}
      <p>{t("pairing.intro")}</p>
      <form
        className="terminal-form"
        onSubmit={(event) => {
          event.preventDefault();
          void pair(code);
        }}
      >
        <label htmlFor="pairing-code">{t("pairing.code")}</label>
        <input
          id="pairing-code"
          name="code"
          className="terminal-input terminal-input-code"
          value={code}
          onChange={(event) => setCode(event.target.value)}
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          required
          maxLength={32}
          aria-describedby={error ? "pairing-error" : undefined}
          aria-invalid={error ? true : undefined}
        />
        <label htmlFor="pairing-name">{t("pairing.name")}</label>
        <input
          id="pairing-name"
          name="name"
          className="terminal-input"
          value={name}
          onChange={(event) => setName(event.target.value)}
          required
          maxLength={80}
        />
        {error ? (
          <p id="pairing-error" className="terminal-error" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" className="terminal-button terminal-button-primary" disabled={busy}>
          {t("pairing.submit")}
        </button>
      </form>
      {scanning ? (
        <CodeScanner
          label={t("pairing.scanTitle")}
          onCode={(scanned) => {
            setScanning(false);
            setCode(scanned);
            void pair(scanned);
          }}
          onClose={() => setScanning(false)}
        />
      ) : (
        <button type="button" className="terminal-button" onClick={() => setScanning(true)}>
          {t("pairing.scan")}
        </button>
      )}
    </section>
  );
}
