/** How the SMTP connection is secured: plain, upgraded with STARTTLS (required), or TLS from the first byte. */
export const smtpSecurityModes = ["none", "starttls", "tls"] as const;
export type SmtpSecurity = (typeof smtpSecurityModes)[number];

/** A server on this machine: the one place credentials may go without TLS (a local relay, tests). */
export function isLoopbackHost(host: string | null | undefined): boolean {
  return /^(localhost|127(\.\d{1,3}){3}|\[?::1\]?)$/i.test(host ?? "");
}
