import type { EmailKindRendering } from "../email-content.server";
import { oneTimeLinkContent, sampleOneTimeLinkContent, scopeName } from "./staff.server";

/** A one-time link to a new staff account, naming where the account works. */
export const staffInvitation: EmailKindRendering<"staff_invitation"> = {
  load: (db, email, context) =>
    oneTimeLinkContent(db, "staff_invitation", email, context, async (t, user, hours) => ({
      days: t("email:durations.days", { count: Math.round(hours / 24) }),
      scope: await scopeName(db, user),
    })),
  sample: async (locale, context) =>
    sampleOneTimeLinkContent("staff_invitation", locale, context, (t) => ({
      days: t("email:durations.days", { count: 7 }),
      scope: t("email:sample.scope"),
    })),
};
