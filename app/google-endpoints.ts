import { isLoopbackHost } from "~/smtp-security";

/** An https URL, or http to this machine (a local relay or proxy), as the Google endpoints may be. */
export function isGoogleEndpointUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.username || url.password) return false;
  return url.protocol === "https:" || (url.protocol === "http:" && isLoopbackHost(url.hostname));
}

/** Allowed origins for the save button: `https://host[:port]`, or http on this machine. */
export function parseOrigins(value: string): string[] | null {
  const origins = value
    .split(/[\s,]+/)
    .map((origin) => origin.trim())
    .filter(Boolean);
  for (const origin of origins) {
    if (!isGoogleEndpointUrl(origin) || new URL(origin).origin !== origin.replace(/\/$/, "")) return null;
  }
  return origins.map((origin) => new URL(origin).origin);
}
