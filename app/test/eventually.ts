/**
 * Reads until `accept` holds, for at most two seconds, and returns the last value read (the caller
 * asserts on it): a change PostgreSQL notifies reaches the caches shortly after its commit.
 */
export async function eventually<T>(read: () => Promise<T>, accept: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 2_000;
  for (;;) {
    const value = await read();
    if (accept(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
