import net from "node:net";

/** What the web process asked PostgreSQL for, counted on the wire. */
export interface WireCounts {
  /** Times the client spoke after PostgreSQL had answered: each is one network round trip it waited for. */
  roundTrips: number;
  /** Statements executed: extended-protocol Execute messages plus simple Query messages. */
  statements: number;
}

/**
 * A TCP proxy in front of PostgreSQL that counts round trips and statements per connection, summed. It
 * reads the frontend protocol's message frames (a type byte and a length) after each connection's
 * startup message; it assumes no TLS (the embedded database on loopback).
 */
export async function startWireCounter(target: { host: string; port: number }) {
  const counts: WireCounts = { roundTrips: 0, statements: 0 };
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    sockets.add(client).add(upstream);
    let answered = true;
    let started = false;
    let pending = Buffer.alloc(0);
    client.on("data", (chunk: Buffer) => {
      if (answered) counts.roundTrips++;
      answered = false;
      pending = Buffer.concat([pending, chunk]);
      for (;;) {
        if (!started) {
          if (pending.length < 4) break;
          const length = pending.readInt32BE(0);
          if (pending.length < length) break;
          pending = pending.subarray(length);
          started = true;
          continue;
        }
        if (pending.length < 5) break;
        const length = pending.readInt32BE(1);
        if (pending.length < length + 1) break;
        const type = String.fromCharCode(pending[0] ?? 0);
        if (type === "E" || type === "Q") counts.statements++;
        pending = pending.subarray(length + 1);
      }
      upstream.write(chunk);
    });
    upstream.on("data", (chunk: Buffer) => {
      answered = true;
      client.write(chunk);
    });
    const close = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on("close", close).on("error", close);
    upstream.on("close", close).on("error", close);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("wire counter has no port");
  return {
    port: address.port,
    counts: (): WireCounts => ({ ...counts }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
