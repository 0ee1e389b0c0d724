/**
 * The bench's baseline: the bare React Router page above, built in production mode and served by
 * Express the way RewardFlow is, in its own process. `tsx bench/bare/server.ts <port>`.
 */
import path from "node:path";
import { createRequestHandler } from "@react-router/express";
import express from "express";
import type { ServerBuild } from "react-router";

const port = Number(process.argv[2]);
const build = (await import(path.join(import.meta.dirname, "build/server/index.js"))) as ServerBuild;
const app = express();
app.use(
  "/assets",
  express.static(path.join(import.meta.dirname, "build/client/assets"), { immutable: true, maxAge: "1y" }),
);
app.all("/{*path}", createRequestHandler({ build, mode: "production" }));
app.listen(port, "127.0.0.1", () => process.stdout.write("ready\n"));
