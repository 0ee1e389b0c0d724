import { describe, expect, it } from "vitest";
import { locales } from "~/i18n/locales";
import { emailKinds, emailTemplateKeys } from "~/modules/outbox/kinds";
import { defaultTemplates } from "./default-templates";
import { emailKindRenderings } from "./email-kinds.server";
import { checkTemplate } from "./templates.server";

describe("every email kind is complete", () => {
  it("has a rendering (how it loads its data, its preview sample), and nothing renders an unknown kind", () => {
    expect(Object.keys(emailKindRenderings).sort()).toEqual([...emailTemplateKeys].sort());
    for (const key of emailTemplateKeys) {
      expect(typeof emailKindRenderings[key].load, key).toBe("function");
      expect(typeof emailKindRenderings[key].sample, key).toBe("function");
    }
  });

  it.each(locales)("has default copy in %s that uses only its own placeholders", (locale) => {
    expect(Object.keys(defaultTemplates[locale]).sort()).toEqual([...emailTemplateKeys].sort());
    for (const key of emailTemplateKeys) {
      const copy = defaultTemplates[locale][key];
      expect(copy.subject.trim(), `${key} ${locale}`).not.toBe("");
      expect(copy.body.trim(), `${key} ${locale}`).not.toBe("");
      expect(checkTemplate(key, copy), `${key} ${locale}`).toEqual({});
    }
  });

  it("is a reminder only as a shopper email, and carries the card QR only as one", () => {
    for (const key of emailTemplateKeys) {
      const kind = emailKinds[key];
      if (kind.reminder || kind.cardQr) expect(kind.audience, key).toBe("shopper");
    }
  });
});
