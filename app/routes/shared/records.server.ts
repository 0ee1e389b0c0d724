import { z } from "zod";
import { notFound } from "~/errors";

const recordId = z.uuid();

/**
 * The record a route's id segment names, read through a scoped service: a malformed id, an unknown
 * one and one outside the actor's scope are the same 404, so none can be told apart.
 */
export async function recordOr404<T>(id: string | undefined, read: (id: string) => Promise<T | null>): Promise<T> {
  const parsed = recordId.safeParse(id);
  const record = parsed.success ? await read(parsed.data) : null;
  if (record === null) throw notFound();
  return record;
}
