import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { isLocale, type Locale, locales } from "~/i18n/locales";
import {
  type Bootstrap,
  type CounterStaffMember,
  NetworkError,
  type PairResponse,
  TerminalApiError,
  terminalApi,
} from "./api";
import { CounterScreen } from "./counter-screen";
import { PairingScreen } from "./pairing-screen";
import { drainQueue, retryDelayMs, type UploadConflict } from "./queue";
import {
  browserQueue,
  clearPinFailures,
  dismissConflict,
  listConflicts,
  listPinFailures,
  loadBootstrap,
  loadPairing,
  type Pairing,
  queueCount,
  saveBootstrap,
  savePairing,
  wipeTerminal,
} from "./storage";
import { errorMessage, rememberedLanguage, switchTerminalLanguage } from "./strings";
import { type UnlockedStaff, UnlockScreen } from "./unlock-screen";

type Screen = { kind: "loading" } | { kind: "pairing"; revoked: boolean } | { kind: "locked" } | { kind: "counter" };

/** Who unlocked the terminal with their PIN: every transaction carries their id. */
/** Staff activity that keeps the terminal unlocked. */
const activityEvents = ["pointerdown", "keydown", "touchstart"] as const;

/**
 * The web terminal: pairing, PIN unlock and the counter, with the offline queue synchronised in
 * the background. Rendered on the server as a bare shell; everything else comes from the browser's
 * storage after hydration, so both renders match.
 */
export function TerminalApp() {
  const { t, i18n } = useTranslation("terminal");
  const locale: Locale = isLocale(i18n.language) ? i18n.language : "en";
  const [screen, setScreen] = useState<Screen>({ kind: "loading" });
  const [pairing, setPairing] = useState<Pairing | null>(null);
  const [bootstrap, setBootstrap] = useState<Bootstrap | null>(null);
  const [staff, setStaff] = useState<UnlockedStaff | null>(null);
  const [queued, setQueued] = useState(0);
  const [conflicts, setConflicts] = useState<UploadConflict[]>([]);
  const [online, setOnline] = useState(true);

  const queuedRef = useRef(0);
  const pairingRef = useRef<Pairing | null>(null);
  pairingRef.current = pairing;

  const api = useMemo(
    () =>
      terminalApi({
        token: pairing?.token ?? null,
        locale: () => i18n.language,
        queueCount: () => queuedRef.current,
      }),
    [pairing, i18n],
  );
  const apiRef = useRef(api);
  apiRef.current = api;

  const refreshCounts = useCallback(async () => {
    const [count, refused] = await Promise.all([queueCount(), listConflicts()]);
    queuedRef.current = count;
    setQueued(count);
    setConflicts(refused);
  }, []);

  /** Revoked or unknown token: forget the token, PIN hashes, staff, queue and conflicts, and pair again. */
  const cutOff = useCallback(async () => {
    await wipeTerminal();
    pairingRef.current = null;
    queuedRef.current = 0;
    setPairing(null);
    setBootstrap(null);
    setStaff(null);
    setQueued(0);
    setConflicts([]);
    setScreen({ kind: "pairing", revoked: true });
  }, []);

  // Synchronisation: failed PINs reported, queue uploaded, staff and program downloaded again.
  const syncing = useRef(false);
  const syncAgain = useRef(false);
  const failedSyncs = useRef(0);
  const retryTimer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const sync = useCallback(async (): Promise<void> => {
    if (!pairingRef.current) return;
    if (syncing.current) {
      syncAgain.current = true;
      return;
    }
    syncing.current = true;
    if (retryTimer.current) clearTimeout(retryTimer.current);
    retryTimer.current = null;
    const client = apiRef.current;
    let retry = false;
    try {
      for (const failures of await listPinFailures()) {
        await client.reportFailedAttempts(failures.staffId, failures.count, failures.lastAttemptAt);
        await clearPinFailures(failures.staffId, failures.count);
      }
      await drainQueue(browserQueue, client.recordBatch);
      const fresh = await client.bootstrap();
      await saveBootstrap(fresh);
      setBootstrap(fresh);
      setOnline(true);
      failedSyncs.current = 0;
    } catch (error) {
      if (error instanceof TerminalApiError && error.deviceCutOff) {
        syncing.current = false;
        await cutOff();
        return;
      }
      if (error instanceof NetworkError) setOnline(false);
      failedSyncs.current++;
      retry = true;
    } finally {
      syncing.current = false;
    }
    if (!pairingRef.current) return;
    await refreshCounts();
    if (syncAgain.current) {
      syncAgain.current = false;
      return sync();
    }
    if (retry || queuedRef.current > 0) {
      retryTimer.current = setTimeout(() => void sync(), retryDelayMs(Math.max(1, failedSyncs.current)));
    }
  }, [cutOff, refreshCounts]);

  // Start: the language staff chose on this device, the stored pairing, the service worker.
  useEffect(() => {
    const chosen = rememberedLanguage();
    if (chosen && chosen !== i18n.language) void switchTerminalLanguage(i18n, chosen, false);
    let cancelled = false;
    void (async () => {
      const [stored, downloaded] = await Promise.all([loadPairing(), loadBootstrap()]);
      if (cancelled) return;
      pairingRef.current = stored;
      setPairing(stored);
      setBootstrap(downloaded);
      await refreshCounts();
      setScreen(stored ? { kind: "locked" } : { kind: "pairing", revoked: false });
    })();
    if ("serviceWorker" in navigator) {
      navigator.serviceWorker.register("/terminal-sw.js", { scope: "/terminal" }).catch(() => {
        // Without a service worker the terminal still works online; only the offline shell is missing.
      });
    }
    return () => {
      cancelled = true;
    };
  }, [i18n, refreshCounts]);

  // Once paired (and whenever the token changes), synchronise; again when the network comes back.
  useEffect(() => {
    if (!pairing) return;
    void sync();
    const back = () => {
      setOnline(true);
      failedSyncs.current = 0;
      void sync();
    };
    const gone = () => setOnline(false);
    window.addEventListener("online", back);
    window.addEventListener("offline", gone);
    return () => {
      window.removeEventListener("online", back);
      window.removeEventListener("offline", gone);
      if (retryTimer.current) clearTimeout(retryTimer.current);
    };
  }, [pairing, sync]);

  // Idle auto-lock: no touch or key for the store's idle minutes locks the counter.
  const idleMinutes = bootstrap?.idleLockMinutes ?? null;
  useEffect(() => {
    if (!staff || idleMinutes === null) return;
    const lockAfter = idleMinutes * 60_000;
    let timer = setTimeout(lock, lockAfter);
    function lock() {
      setStaff(null);
      setScreen({ kind: "locked" });
    }
    const activity = () => {
      clearTimeout(timer);
      timer = setTimeout(lock, lockAfter);
    };
    for (const name of activityEvents) window.addEventListener(name, activity, { passive: true });
    return () => {
      clearTimeout(timer);
      for (const name of activityEvents) window.removeEventListener(name, activity);
    };
  }, [staff, idleMinutes]);

  async function paired(response: PairResponse) {
    const next: Pairing = { token: response.deviceToken, device: response.device, store: response.store };
    await savePairing(next);
    pairingRef.current = next;
    setPairing(next);
    setScreen({ kind: "locked" });
  }

  async function staffLocked(member: CounterStaffMember) {
    // The server locked this PIN: it leaves the list until a manager resets it.
    if (!bootstrap) return;
    const next = { ...bootstrap, counterStaff: bootstrap.counterStaff.filter((entry) => entry.id !== member.id) };
    await saveBootstrap(next);
    setBootstrap(next);
  }

  const heading = pairing ? pairing.store.name : t("appName");
  return (
    <div className="terminal">
      <title>{t("title")}</title>
      <header className="terminal-bar">
        <p className="terminal-store">{heading}</p>
        {pairing ? (
          <p className="terminal-status" role="status">
            <span className={online ? "terminal-online" : "terminal-offline"}>
              {online ? t("status.online") : t("status.offline")}
            </span>{" "}
            <span className="terminal-queue">
              {queued === 0 ? t("status.queueEmpty") : t("status.queued", { count: queued })}
            </span>
          </p>
        ) : null}
        {staff ? (
          <div className="terminal-staff">
            <span>{t("status.staff", { name: staff.displayName })}</span>
            <button
              type="button"
              className="terminal-button terminal-button-small"
              onClick={() => {
                setStaff(null);
                setScreen({ kind: "locked" });
              }}
            >
              {t("status.lock")}
            </button>
          </div>
        ) : null}
        <TerminalLanguageSwitcher current={locale} />
      </header>
      <main id="main" className="terminal-main">
        {conflicts.length > 0 && screen.kind === "counter" ? (
          <ConflictList
            conflicts={conflicts}
            onDismiss={async (key) => {
              await dismissConflict(key);
              await refreshCounts();
            }}
          />
        ) : null}
        {screen.kind === "loading" ? (
          <>
            <h1>{t("appName")}</h1>
            <p>{t("loading")}</p>
          </>
        ) : screen.kind === "pairing" ? (
          <PairingScreen api={api} revoked={screen.revoked} onPaired={paired} />
        ) : screen.kind === "locked" || !staff ? (
          <UnlockScreen
            api={api}
            bootstrap={bootstrap}
            onUnlocked={(member) => {
              setStaff(member);
              setScreen({ kind: "counter" });
              void sync();
            }}
            onLocked={staffLocked}
            onCutOff={cutOff}
          />
        ) : bootstrap ? (
          <CounterScreen
            api={api}
            bootstrap={bootstrap}
            staff={staff}
            queued={queued}
            onCutOff={cutOff}
            onQueued={async () => {
              await refreshCounts();
              void sync();
            }}
          />
        ) : null}
      </main>
    </div>
  );
}

function TerminalLanguageSwitcher({ current }: { current: Locale }) {
  const { t, i18n } = useTranslation("terminal");
  return (
    <nav aria-label={t("language.label")} className="terminal-languages">
      <ul>
        {locales.map((lang) => (
          <li key={lang}>
            <button
              type="button"
              lang={lang}
              aria-current={lang === current ? "true" : undefined}
              onClick={() => void switchTerminalLanguage(i18n, lang, true)}
            >
              {t(`language.names.${lang}`)}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function ConflictList({
  conflicts,
  onDismiss,
}: {
  conflicts: UploadConflict[];
  onDismiss: (idempotencyKey: string) => Promise<void>;
}) {
  const { t } = useTranslation("terminal");
  return (
    <section className="terminal-conflicts" role="alert" aria-labelledby="terminal-conflicts-title">
      <h2 id="terminal-conflicts-title">{t("conflicts.title", { count: conflicts.length })}</h2>
      <ul>
        {conflicts.map((conflict) => (
          <li key={conflict.idempotencyKey}>
            <p>
              {t(`conflicts.kind.${conflict.request.type}`)}
              {"card" in conflict.request ? ` · ${conflict.request.card}` : ` · ${conflict.request.email}`}
            </p>
            <p className="terminal-error">{errorMessage(t, conflict.code, conflict.message)}</p>
            <button
              type="button"
              className="terminal-button terminal-button-small"
              onClick={() => void onDismiss(conflict.idempotencyKey)}
            >
              {t("conflicts.dismiss")}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
