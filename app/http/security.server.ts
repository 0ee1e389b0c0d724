import { randomBytes } from "node:crypto";
import type { NextFunction, Request, Response } from "express";

/**
 * Rendered emails shown inside the admin console (template previews, the email log viewer):
 * framed by our own pages only, with no scripts, no network but images, and email-style inline CSS.
 */
export const emailDocumentPath = /^\/admin\/email-(templates\/[\w-]+\/[\w-]+\/preview|logs\/[\w-]+\/html)\/?$/;

/** The counter terminal's page: its camera QR reader is ZXing compiled to WebAssembly (ADR 020). */
export const terminalPagePath = /^\/terminal\/?$/i;

const emailDocumentPolicy = [
  "default-src 'none'",
  "style-src 'unsafe-inline'",
  "img-src data: https:",
  "form-action 'none'",
  "frame-ancestors 'self'",
  "sandbox allow-popups allow-popups-to-escape-sandbox",
].join("; ");

/** A fresh CSP nonce per response, and the headers every response carries. */
export function securityHeaders(options: { isProduction: boolean }) {
  return (req: Request, res: Response, next: NextFunction) => {
    const nonce = randomBytes(16).toString("base64");
    res.locals.nonce = nonce;
    const emailDocument = emailDocumentPath.test(req.path);
    const wasm = terminalPagePath.test(req.path) ? " 'wasm-unsafe-eval'" : "";
    res.setHeader(
      "Content-Security-Policy",
      emailDocument
        ? emailDocumentPolicy
        : [
            "default-src 'self'",
            `script-src 'self' 'nonce-${nonce}'${wasm}`,
            "style-src 'self'",
            "img-src 'self' data: https:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
          ].join("; "),
    );
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("X-Frame-Options", emailDocument ? "SAMEORIGIN" : "DENY");
    res.setHeader("Referrer-Policy", "strict-origin-when-cross-origin");
    res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
    res.setHeader("Permissions-Policy", "camera=(self), microphone=(), geolocation=(), payment=()");
    // No includeSubDomains: on a merchant's custom domain that would bind subdomains we do not serve.
    if (options.isProduction) res.setHeader("Strict-Transport-Security", "max-age=63072000");
    next();
  };
}

const unsafeMethods = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * Refuses state-changing requests that a browser sent from another site. Browsers send
 * Sec-Fetch-Site and Origin on every cross-origin POST; a missing header means a non-browser client.
 */
export function isCrossSiteWrite(req: Request): boolean {
  if (!unsafeMethods.has(req.method)) return false;
  const fetchSite = req.get("sec-fetch-site");
  if (fetchSite && fetchSite !== "same-origin" && fetchSite !== "none") return true;
  const origin = req.get("origin");
  if (!origin) return false;
  if (origin === "null") return true;
  try {
    return new URL(origin).host !== req.get("host");
  } catch {
    return true;
  }
}
