import { serverI18n } from "~/i18n/resources.server";
import type { DetailsTableProps } from "../../../../emails/transactional";
import type { EffectiveEmailConfig } from "../email-config.server";
import type { EmailKindRendering, Translate } from "../email-content.server";
import { loadStaffUser, staffFrame } from "./staff.server";

/** The test email of the settings page: it reports the configuration it was actually sent with. */
export const smtpTest: EmailKindRendering<"smtp_test"> = {
  async load(db, email, context) {
    const user = await loadStaffUser(db, email);
    const { t } = serverI18n(email.locale);
    return {
      values: { name: user.name, ...smtpValues(t, context.emailConfig) },
      frame: staffFrame(t),
      details: smtpDetails(t, context.emailConfig),
      attachments: [],
      secrets: [],
    };
  },
  async sample(locale, context) {
    const { t } = serverI18n(locale);
    return {
      values: { name: t("email:sample.staffName"), ...smtpValues(t, context.emailConfig) },
      frame: staffFrame(t),
      details: smtpDetails(t, context.emailConfig),
      attachments: [],
      secrets: [],
    };
  },
};

function smtpValues(t: Translate, config: EffectiveEmailConfig) {
  return {
    host: config.host ?? t("email:smtpTest.sources.default"),
    port: String(config.port),
    security: t(`email:smtpTest.securityModes.${config.security}`),
    user: config.user ?? t("email:smtpTest.noUser"),
    from: `${config.fromName} <${config.fromAddress}>`,
  };
}

/** The configuration the test email was sent with, and where each value came from. */
function smtpDetails(t: Translate, config: EffectiveEmailConfig): DetailsTableProps {
  const values = smtpValues(t, config);
  const source = (key: keyof EffectiveEmailConfig["sources"]) => t(`email:smtpTest.sources.${config.sources[key]}`);
  const fromSource =
    config.sources.fromAddress === config.sources.fromName
      ? source("fromAddress")
      : `${source("fromName")} / ${source("fromAddress")}`;
  return {
    heading: t("email:smtpTest.heading"),
    columns: [t("email:smtpTest.setting"), t("email:smtpTest.value"), t("email:smtpTest.source")],
    rows: [
      { label: t("email:smtpTest.host"), value: values.host, source: source("host") },
      { label: t("email:smtpTest.port"), value: values.port, source: source("port") },
      { label: t("email:smtpTest.security"), value: values.security, source: source("security") },
      { label: t("email:smtpTest.user"), value: values.user, source: source("user") },
      { label: t("email:smtpTest.from"), value: values.from, source: fromSource },
    ],
  };
}
