import QRCode from "qrcode";

/** SVG markup of a QR code encoding the card number (what the counter scanner reads). */
export function cardQrSvg(cardNumber: string): Promise<string> {
  return QRCode.toString(cardNumber, {
    type: "svg",
    margin: 2,
    errorCorrectionLevel: "M",
    color: { dark: "#000000", light: "#ffffff" },
  });
}
