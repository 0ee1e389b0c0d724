import { data } from "react-router";
import { beforeAll, describe, expect, it } from "vitest";
import { createUser } from "~/modules/auth/users.server";
import { createTestDatabase } from "~/test/database";
import { inHtml } from "~/test/html";
import { startTestServer, type TestServer } from "~/test/http";
import { accessDenied, DomainError, errorCodes, errorStatus, FieldError, loyaltyUnavailable, notFound } from "./errors";
import { serverI18n } from "./i18n/resources.server";

describe("DomainError", () => {
  // DomainError copies the tag React Router puts on `data(...)`: if an upgrade renames or reshapes it,
  // thrown DomainErrors would become 500s, and this fails first.
  it("has the shape React Router gives data(payload, { status })", () => {
    const reference = data({ code: "notFound" }, { status: 404 }) as unknown as Record<string, unknown>;
    const error = notFound() as unknown as Record<string, unknown>;
    expect(Object.keys(reference).sort()).toEqual(["data", "init", "type"]);
    expect(error.type).toBe(reference.type);
    expect(error.data).toEqual(reference.data);
    expect(error.init).toEqual(reference.init);
  });

  it("takes its status from its code, and every code has a page", () => {
    const en = serverI18n("en");
    for (const code of errorCodes) {
      expect(new DomainError(code).init).toEqual({ status: errorStatus[code] });
      expect(en.exists(`common:errors.${code}.title`), code).toBe(true);
      expect(en.exists(`common:errors.${code}.body`), code).toBe(true);
    }
    expect(accessDenied().status).toBe(403);
    expect(loyaltyUnavailable("WizaMart").data).toEqual({ code: "loyaltyUnavailable", store: "WizaMart" });
  });

  it("puts a field error's message key next to its field", () => {
    const error = new FieldError("slug", "tenancy.errors.slugTaken");
    expect(error).toBeInstanceOf(DomainError);
    expect(error.init).toEqual({ status: 400 });
    expect(error.fieldErrors).toEqual({ slug: ["tenancy.errors.slugTaken"] });
  });
});

describe("a thrown DomainError through a real request", () => {
  const platform = "localhost";
  const sameOrigin = { origin: "http://localhost:3000" };
  const password = "correct horse battery";
  const missing = "00000000-0000-4000-8000-000000000000";
  let server: TestServer;
  const en = serverI18n("en");

  beforeAll(async () => {
    const { db } = await createTestDatabase();
    await createUser(db, { email: "admin@errors.example", name: "Admin", password, role: "platform_admin" });
    server = await startTestServer(db);
  });

  async function signIn(email: string) {
    const response = await server.request(platform, "/login", { form: { email, password }, headers: sameOrigin });
    expect(response.status).toBe(302);
    return String(response.headers["set-cookie"]).split(";")[0] ?? "";
  }

  it("reaches the error page with its status from a route's loader", async () => {
    const cookie = await signIn("admin@errors.example");
    const response = await server.request(platform, `/admin/stores/${missing}`, { headers: { cookie } });
    expect(response.status).toBe(404);
    expect(response.body).toContain(`<h1>${inHtml(en.t("common:errors.notFound.title"))}</h1>`);
  });

  it("reaches the error page with its status from a module under an action", async () => {
    const cookie = await signIn("admin@errors.example");
    const response = await server.request(platform, "/admin/stores", {
      form: { storeId: missing, enabled: "on" },
      headers: { ...sameOrigin, cookie },
    });
    expect(response.status).toBe(404);
    expect(response.body).toContain(`<h1>${inHtml(en.t("common:errors.notFound.title"))}</h1>`);
  });

  it("answers a storefront on an unknown host with its own code", async () => {
    const response = await server.request("nowhere.localhost", "/loyalty/join");
    expect(response.status).toBe(404);
    expect(response.body).toContain(`<h1>${inHtml(en.t("common:errors.unknownHost.title"))}</h1>`);
  });
});
