import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { prepareZXingModule, readBarcodes } from "zxing-wasm/reader";
import { cardQrPng } from "./qr.server";

// The same ZXing reader the counter's scanner runs, given its WebAssembly from node_modules (no fetch in Node).
const wasm = readFileSync(createRequire(import.meta.url).resolve("zxing-wasm/reader/zxing_reader.wasm"));
prepareZXingModule({ overrides: { wasmBinary: new Uint8Array(wasm).buffer } });

describe("the card's QR code in emails", () => {
  it("is a PNG a scanner reads back as the card number", async () => {
    for (const cardNumber of ["4000123412340007", "4999000011112226", "4123456789012349"]) {
      const png = cardQrPng(cardNumber);
      expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
      const [read, ...others] = await readBarcodes(new Uint8Array(png), { formats: ["QRCode"] });
      expect(others).toHaveLength(0);
      expect(read?.isValid).toBe(true);
      expect(read?.text).toBe(cardNumber);
    }
  });

  it("draws 8 pixels per module with a quiet zone of two modules", () => {
    const png = cardQrPng("4000123412340007");
    // IHDR: width and height right after the signature, the chunk's length and its type.
    const side = png.readUInt32BE(16);
    expect(png.readUInt32BE(20)).toBe(side);
    // A 16-digit number fits version 1 (21 modules) at level M: 25 modules with the quiet zone.
    expect(side).toBe(25 * 8);
  });
});
