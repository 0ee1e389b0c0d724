import type { EmailKindRendering } from "../email-content.server";
import { oneTimeLinkContent, sampleOneTimeLinkContent } from "./staff.server";

/** A one-time link to choose a new password. */
export const passwordReset: EmailKindRendering<"password_reset"> = {
  load: (db, email, context) =>
    oneTimeLinkContent(db, "password_reset", email, context, async (t, _user, hours) => ({
      hours: t("email:durations.hours", { count: hours }),
    })),
  sample: async (locale, context) =>
    sampleOneTimeLinkContent("password_reset", locale, context, (t) => ({
      hours: t("email:durations.hours", { count: 1 }),
    })),
};
