import { describe, expect, it } from "vitest";
import { emailLogoUrl } from "~/modules/messaging/kinds/shopper.server";
import { programSchema } from "~/routes/admin/program-schema";
import { brandStylesheet, brandStylesheetPath, colorOfBrandStylesheet } from "./theme";

describe("the brand stylesheet", () => {
  it("is addressed by the colour alone, and only a #rrggbb colour has one", () => {
    expect(brandStylesheetPath("#0B5CAD")).toBe("/brand/0b5cad.css");
    expect(colorOfBrandStylesheet("0b5cad.css")).toBe("#0b5cad");
    for (const file of ["0B5CAD.css", "0b5cad", "0b5ca.css", "0b5cad.css;x", "../0b5cad.css", "red.css"]) {
      expect(colorOfBrandStylesheet(file), file).toBeNull();
    }
  });

  it("sets the colour as picked for the header and the readable accent for links and buttons", () => {
    expect(brandStylesheet("#00a1de")).toBe(
      "body {\n  --brand: #00a1de;\n  --on-brand: #000000;\n  --accent: #0077a4;\n  --accent-ink: #ffffff;\n}\n",
    );
    expect(brandStylesheet("#0b5cad")).toContain("--accent: #0b5cad;");
  });
});

describe("a program's logo and terms addresses", () => {
  const program = (fields: Record<string, string>) =>
    programSchema.safeParse({ name: { en: "Club" }, kind: "points", brandColor: "#1f4e79", ...fields });

  it("accept an https address or a path on the site", () => {
    for (const value of ["https://cdn.example.com/logo.png", "/demo-logos/wizatech.svg", "/demo-terms/luxweb.html"]) {
      expect(program({ logoUrl: value, termsUrl: value }).success, value).toBe(true);
    }
  });

  it("refuse http, data, script, protocol-relative and backslash addresses", () => {
    for (const value of [
      "http://example.com/logo.png",
      "data:image/svg+xml,<svg/>",
      "javascript:alert(1)",
      "//evil.example/logo.png",
      "/\\evil.example/logo.png",
      "logo.png",
    ]) {
      expect(program({ logoUrl: value }).success, value).toBe(false);
      expect(program({ termsUrl: value }).success, value).toBe(false);
    }
  });
});

describe("the logo in emails", () => {
  it("is absolute on the store's host, and left out when it is SVG", () => {
    expect(emailLogoUrl("/demo-logos/logo.png", "http://wizatech.localhost:3000")).toBe(
      "http://wizatech.localhost:3000/demo-logos/logo.png",
    );
    expect(emailLogoUrl("https://cdn.example.com/a.PNG", "https://shop.example")).toBe("https://cdn.example.com/a.PNG");
    expect(emailLogoUrl("/demo-logos/wizatech.svg", "http://wizatech.localhost:3000")).toBeNull();
    expect(emailLogoUrl(null, "https://shop.example")).toBeNull();
  });
});
