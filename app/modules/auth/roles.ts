import type { Role } from "./schema";

/** Where a role lands after signing in. */
export function homePath(role: Role): string {
  return role === "platform_admin" ? "/admin" : "/merchant";
}

/** Who may use the merchant portal (store staff work at the counter terminal). */
export const merchantPortalRoles = ["merchant_owner", "store_manager"] as const satisfies readonly Role[];
