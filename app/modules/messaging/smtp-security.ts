/** How the SMTP connection is secured: plain, upgraded with STARTTLS (required), or TLS from the first byte. */
export const smtpSecurityModes = ["none", "starttls", "tls"] as const;
export type SmtpSecurity = (typeof smtpSecurityModes)[number];
