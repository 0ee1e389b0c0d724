import { renderPreview } from "~/modules/messaging/render.server";
import { defaultTemplates } from "~/modules/messaging/default-templates";
const ctx = { platformOrigin: "https://x.example", appSecret: "s".repeat(40), emailConfig: { provider: "smtp", host: "h", port: 25, security: "none", fromAddress: "a@b.example", fromName: "R", user: null, password: null, tlsCa: null, source: {} } as never, walletLinks: true };
for (const r of [1, 2, 3, 4]) {
  const t = process.cpuUsage();
  for (let i = 0; i < 200; i++) await renderPreview("loyalty_enrollment_with_bonus", "fr", defaultTemplates.fr.loyalty_enrollment_with_bonus, ctx);
  const u = process.cpuUsage(t); console.log(r, ((u.user + u.system) / 1000 / 200).toFixed(2), "ms per preview render");
}
