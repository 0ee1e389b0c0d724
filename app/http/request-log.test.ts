import { beforeAll, describe, expect, it } from "vitest";
import { seedDemoData } from "~/modules/ops/demo-tenants.server";
import { createTestDatabase } from "~/test/database";
import { startTestServer, type TestServer } from "~/test/http";

const { db } = await createTestDatabase();
let server: TestServer;
const logLines: Record<string, unknown>[] = [];

beforeAll(async () => {
  await seedDemoData(db);
  server = await startTestServer(db, {}, logLines);
});

describe("request log lines", () => {
  const secret = "Zq9sEcReTtOkEn_0123456789abcdefghijkLMNOP";
  it.each([
    ["/loyalty/card/", "/loyalty/card/:token"],
    ["/LOYALTY/CARD/", "/loyalty/card/:token"],
    ["/Loyalty/Card/", "/loyalty/card/:token"],
    ["/loyalty/unsubscribe/", "/loyalty/unsubscribe/:token"],
    ["/Loyalty/Unsubscribe/", "/loyalty/unsubscribe/:token"],
  ])("name the route instead of the token for %s…", async (prefix, pattern) => {
    for (const path of [`${prefix}${secret}`, `${prefix}${secret}.data`, `${prefix}${secret}?lang=fr`]) {
      const response = await server.request("fashionhub.localhost", path);
      const line = logLines.find((entry) => entry.requestId === response.headers["x-request-id"]);
      expect(line?.msg).toBe("request");
      expect(line?.path).toBe(pattern);
    }
    expect(JSON.stringify(logLines)).not.toContain(secret);
  });

  it("keep other paths as they are, without the query", async () => {
    const response = await server.request("fashionhub.localhost", "/loyalty/join?email=someone@example.com");
    const line = logLines.find((entry) => entry.requestId === response.headers["x-request-id"]);
    expect(line?.path).toBe("/loyalty/join");
  });
});
