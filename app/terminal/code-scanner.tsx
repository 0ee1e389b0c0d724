import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import zxingReaderWasm from "zxing-wasm/reader/zxing_reader.wasm?url";

/** Frames examined per second while the camera looks for a QR code. */
const scansPerSecond = 4;

/**
 * The standard BarcodeDetector API (the `barcode-detector` ponyfill: ZXing compiled to WebAssembly,
 * served by RewardFlow itself, never from a CDN), loaded only when staff open the camera.
 */
async function qrDetector() {
  const { BarcodeDetector, prepareZXingModule } = await import("barcode-detector/ponyfill");
  prepareZXingModule({
    overrides: {
      locateFile: (path: string, prefix: string) => (path.endsWith(".wasm") ? zxingReaderWasm : prefix + path),
    },
  });
  return new BarcodeDetector({ formats: ["qr_code"] });
}

/** The back camera, looking for a QR code; calls `onCode` with the first one it reads. */
export function CodeScanner({
  label,
  onCode,
  onClose,
}: {
  label: string;
  onCode: (text: string) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation("terminal");
  const video = useRef<HTMLVideoElement>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const found = useRef(onCode);
  found.current = onCode;

  useEffect(() => {
    let stopped = false;
    let stream: MediaStream | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    void (async () => {
      try {
        if (!navigator.mediaDevices?.getUserMedia) throw new Error("no camera API");
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
        const element = video.current;
        if (stopped || !element) return;
        element.srcObject = stream;
        await element.play();
        const detector = await qrDetector();
        const scan = async () => {
          if (stopped) return;
          const codes = element.readyState >= 2 ? await detector.detect(element).catch(() => []) : [];
          const text = codes.find((code) => code.rawValue)?.rawValue;
          if (text && !stopped) {
            stopped = true;
            found.current(text);
            return;
          }
          timer = setTimeout(scan, 1000 / scansPerSecond);
        };
        await scan();
      } catch {
        if (!stopped) setProblem(t("scanner.unavailable"));
      }
    })();
    return () => {
      stopped = true;
      clearTimeout(timer);
      for (const track of stream?.getTracks() ?? []) track.stop();
    };
  }, [t]);

  return (
    <section className="terminal-scanner" aria-label={label}>
      <p>{label}</p>
      <video ref={video} className="terminal-video" muted playsInline />
      {problem ? (
        <p className="terminal-error" role="alert">
          {problem}
        </p>
      ) : (
        <p className="terminal-hint">{t("scanner.hint")}</p>
      )}
      <button type="button" className="terminal-button" onClick={onClose}>
        {t("scanner.close")}
      </button>
    </section>
  );
}
