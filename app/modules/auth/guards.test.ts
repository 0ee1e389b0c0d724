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
  ])("refuses %j", (value) => {
    expect(safeRedirectPath(value, "/admin")).toBe("/admin");
  });
});
