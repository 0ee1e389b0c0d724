import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type { ServerBuild } from "react-router";
import { afterAll } from "vitest";
import { type Config, loadConfig } from "~/config.server";
import type { Database } from "~/db/client.server";
import { createHttpApp } from "~/http/app.server";
import { createHttpServer } from "~/http/server.server";
import { createLogger } from "~/logger.server";

const root = path.resolve(import.meta.dirname, "../..");

export interface TestResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface TestServer {
  config: Config;
  port: number;
  request(
    host: string,
    pathname: string,
    init?: {
      method?: string;
      headers?: Record<string, string>;
      form?: Record<string, string> | URLSearchParams;
      /** A raw body, sent with the given headers as they are. */
      body?: string;
    },
  ): Promise<TestResponse>;
}

/** The real HTTP pipeline and built React Router app on a free port, against a test database. */
export async function startTestServer(
  db: Database,
  env: Record<string, string> = {},
  /** Collects the server's log lines (parsed), at level info. */
  logLines?: Record<string, unknown>[],
): Promise<TestServer> {
  const config = loadConfig({
    NODE_ENV: "test",
    PORT: "3000",
    DATA_DIR: path.join(root, ".data", "test"),
    APP_SECRET: "x".repeat(32),
    LOG_LEVEL: "silent",
    ...env,
  });
  const build = (await import(path.join(root, "build/server/index.js"))) as ServerBuild;
  const app = createHttpApp({
    config,
    db,
    logger: logLines
      ? createLogger("info", { write: (line: string) => void logLines.push(JSON.parse(line)) })
      : createLogger(config.LOG_LEVEL),
    build,
    clientDir: path.join(root, "build/client"),
    workerInProcess: false,
  });
  const server = createHttpServer(app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const port = (server.address() as AddressInfo).port;
  return {
    config,
    port,
    request(host, pathname, init = {}) {
      const body = init.body ?? (init.form ? new URLSearchParams(init.form).toString() : undefined);
      const headers: Record<string, string> = { host: `${host}:3000`, ...(init.headers ?? {}) };
      if (init.body !== undefined) headers["content-length"] = String(Buffer.byteLength(init.body));
      else if (body !== undefined) {
        headers["content-type"] = "application/x-www-form-urlencoded";
        headers["content-length"] = String(Buffer.byteLength(body));
      }
      return new Promise((resolve, reject) => {
        const req = http.request(
          {
            host: "127.0.0.1",
            port,
            path: pathname,
            method: init.method ?? (body !== undefined ? "POST" : "GET"),
            headers,
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (chunk: Buffer) => chunks.push(chunk));
            res.on("end", () =>
              resolve({
                status: res.statusCode ?? 0,
                headers: res.headers,
                body: Buffer.concat(chunks).toString("utf8"),
              }),
            );
          },
        );
        req.on("error", reject);
        if (body !== undefined) req.write(body);
        req.end();
      });
    },
  };
}
