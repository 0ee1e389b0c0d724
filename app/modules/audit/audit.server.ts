import type { Executor } from "~/db/client.server";
import type { Actor } from "~/modules/scope/scope";
import { auditLog } from "./schema";

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId?: string | null;
  merchantId?: string | null;
  details?: Record<string, unknown>;
}

/** Records who did what to which record, on the caller's transaction (so it commits with the change). */
export async function recordAudit(tx: Executor, actor: Pick<Actor, "userId"> | null, entry: AuditEntry): Promise<void> {
  await tx.insert(auditLog).values({
    actorUserId: actor?.userId ?? null,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId ?? null,
    merchantId: entry.merchantId ?? null,
    details: entry.details ?? {},
  });
}
