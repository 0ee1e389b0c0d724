import { describe, expect, it } from "vitest";
import { safeRedirectPath } from "./guards.server";

describe("safeRedirectPath", () => {
  it("keeps paths on this site", () => {
    expect(safeRedirectPath("/admin/cards?q=lena#top", "/x")).toBe("/admin/cards?q=lena#top");
  });
  it.each([
    "//evil.example/x",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\\evil.example",
    "https://evil.example",
    "evil",
    "",
    null,
    42,
    // Known open-redirect bypasses: each one reads as another origin in a browser, at once or after decoding.
    "/.//evil.example/phish",
    "/./\\evil.example",
    "///evil.example",
    "////evil.example",
    "/\\evil.example",
    "/\\/evil.example",
    "/%2F%2Fevil.example",
    "/%2f/evil.example",
    "/%2F/evil.example",
    "/%5Cevil.example",
    "/%5C%5Cevil.example",
    "/%09/evil.example",
    "/%0A/evil.example",
    "/%0D/evil.example",
    "/%00/evil.example",
    "/%252F%252Fevil.example",
    "/%25252F%25252Fevil.example",
    "/%255Cevil.example",
    "/%2e%2e//evil.example",
    "/admin/..//evil.example",
    "/admin/%2e%2e//evil.example",
    "/./%2F/evil.example",
    "/\u0000/evil.example",
    "/\r\n/evil.example",
  ])("refuses %j", (value) => {
    expect(safeRedirectPath(value, "/admin")).toBe("/admin");
  });
  it("keeps an encoded query value that stays on this site", () => {
    expect(safeRedirectPath("/admin/cards?q=caf%C3%A9", "/x")).toBe("/admin/cards?q=caf%C3%A9");
  });
});
