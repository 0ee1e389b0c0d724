import type { AddressInfo } from "node:net";
import net from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { createHttpServer, httpTimeouts } from "./server.server";

const quick = { headersTimeoutMs: 1_000, requestTimeoutMs: 2_000, keepAliveTimeoutMs: 500, checkIntervalMs: 200 };
const server = createHttpServer((req, res) => {
  req.resume();
  req.on("end", () => res.end("ok"));
}, quick);
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const { port } = server.address() as AddressInfo;
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Opens a real socket, runs `write` on it, and resolves with what came back and when the server hung up. */
function slowClient(write: (socket: net.Socket) => void): Promise<{ received: string; closedAfterMs: number }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = net.connect(port, "127.0.0.1", () => write(socket));
    let received = "";
    socket.on("data", (chunk) => {
      received += chunk.toString("latin1");
    });
    socket.on("error", reject);
    socket.on("close", () => resolve({ received, closedAfterMs: Date.now() - started }));
  });
}

describe("the web server's timeouts", () => {
  it("are short enough that a slow client cannot hold a connection for minutes", () => {
    expect(httpTimeouts.headersTimeoutMs).toBeLessThanOrEqual(10_000);
    expect(httpTimeouts.requestTimeoutMs).toBeLessThanOrEqual(30_000);
    expect(httpTimeouts.keepAliveTimeoutMs).toBeLessThanOrEqual(10_000);
    expect(httpTimeouts.checkIntervalMs).toBeLessThanOrEqual(1_000);
  });

  it("answer 408 and hang up on a body that trickles in a byte at a time", async () => {
    let timer: NodeJS.Timeout | undefined;
    const { received, closedAfterMs } = await slowClient((socket) => {
      socket.write("POST /login HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1000\r\n\r\n");
      timer = setInterval(() => socket.writable && socket.write("a"), 100);
    });
    clearInterval(timer);
    expect(received).toMatch(/^HTTP\/1\.1 408/);
    expect(closedAfterMs).toBeLessThan(quick.requestTimeoutMs + 2_000);
  });

  it("hang up on headers that never finish", async () => {
    let timer: NodeJS.Timeout | undefined;
    const { closedAfterMs } = await slowClient((socket) => {
      socket.write("GET / HTTP/1.1\r\nHost: localhost\r\n");
      timer = setInterval(() => socket.writable && socket.write("X-Slow: 1\r\n"), 100);
    });
    clearInterval(timer);
    expect(closedAfterMs).toBeLessThan(quick.headersTimeoutMs + 2_000);
  });

  it("close an idle kept-alive connection", async () => {
    const { received, closedAfterMs } = await slowClient((socket) => {
      socket.write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
    });
    expect(received).toMatch(/^HTTP\/1\.1 200/);
    expect(closedAfterMs).toBeLessThan(quick.keepAliveTimeoutMs + 2_000);
  });
});
