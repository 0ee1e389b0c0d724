import { useTranslation } from "react-i18next";

const digits = ["1", "2", "3", "4", "5", "6", "7", "8", "9"] as const;

/**
 * A big 3×4 keypad for one thumb: digits, and two keys beside the 0 (the decimal separator or
 * nothing on the left, delete on the right).
 */
export function Keypad({
  label,
  onDigit,
  onBack,
  decimal,
}: {
  label: string;
  onDigit: (digit: string) => void;
  onBack: () => void;
  /** The locale's decimal separator, and what pressing it does; no key when absent. */
  decimal?: { separator: string; label: string; onPress: () => void };
}) {
  const { t } = useTranslation("terminal");
  return (
    <fieldset className="terminal-keypad">
      <legend className="visually-hidden">{label}</legend>
      {digits.map((digit) => (
        <button key={digit} type="button" className="terminal-key" onClick={() => onDigit(digit)}>
          {digit}
        </button>
      ))}
      {decimal ? (
        <button type="button" className="terminal-key" aria-label={decimal.label} onClick={decimal.onPress}>
          {decimal.separator}
        </button>
      ) : (
        <span />
      )}
      <button type="button" className="terminal-key" onClick={() => onDigit("0")}>
        0
      </button>
      <button type="button" className="terminal-key" aria-label={t("keypad.delete")} onClick={onBack}>
        ⌫
      </button>
    </fieldset>
  );
}
