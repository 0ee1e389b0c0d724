import { describe, expect, it } from "vitest";
import { storeDescription, storeOrigin } from "./stores.server";

describe("storeDescription", () => {
  const store = {
    description: "plain",
    descriptionTranslations: { fr: "français", en: "english" },
    defaultLanguage: "fr" as const,
  };
  it("uses the requested language, then the store default, then English, then the plain text", () => {
    expect(storeDescription(store, "en")).toBe("english");
    expect(storeDescription(store, "de")).toBe("français");
    expect(storeDescription({ ...store, descriptionTranslations: { en: "english" } }, "lb")).toBe("english");
    expect(storeDescription({ ...store, descriptionTranslations: {} }, "lb")).toBe("plain");
    expect(storeDescription({ ...store, descriptionTranslations: { fr: "", en: "english" } }, "fr")).toBe("english");
  });
});

describe("storeOrigin", () => {
  it("uses the custom domain over https, else the platform subdomain", () => {
    expect(storeOrigin("http://localhost:3000", { subdomain: "fashionhub", customDomain: null })).toBe(
      "http://fashionhub.localhost:3000",
    );
    expect(storeOrigin("https://rewardflow.lu", { subdomain: "x", customDomain: "club.fashionhub.lu" })).toBe(
      "https://club.fashionhub.lu",
    );
  });
});
