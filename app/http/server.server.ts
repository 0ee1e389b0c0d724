import http from "node:http";

export interface HttpTimeouts {
  /** The whole request line and headers must arrive within this. */
  headersTimeoutMs: number;
  /** The whole request, body included (forms are at most 1 MiB), must arrive within this. */
  requestTimeoutMs: number;
  /** An idle kept-alive connection is closed after this; a proxy in front should give up sooner. */
  keepAliveTimeoutMs: number;
  /** How often Node checks the two limits above (its default, 30 s, would let a slow client double them). */
  checkIntervalMs: number;
}

export const httpTimeouts: HttpTimeouts = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  checkIntervalMs: 1_000,
};

/** The web server: a client that trickles its headers or body is answered 408 and cut off, not waited for. */
export function createHttpServer(app: http.RequestListener, timeouts: HttpTimeouts = httpTimeouts): http.Server {
  const server = http.createServer(
    {
      headersTimeout: timeouts.headersTimeoutMs,
      requestTimeout: timeouts.requestTimeoutMs,
      connectionsCheckingInterval: timeouts.checkIntervalMs,
    },
    app,
  );
  server.keepAliveTimeout = timeouts.keepAliveTimeoutMs;
  return server;
}
