import type { Role } from "./schema";

/** Where a role lands after signing in: store staff work at the counter terminal. */
export function homePath(role: Role): string {
  if (role === "platform_admin") return "/admin";
  return role === "store_staff" ? "/terminal" : "/merchant";
}

/** Who may use the merchant portal (store staff work at the counter terminal). */
export const merchantPortalRoles = ["merchant_owner", "store_manager"] as const satisfies readonly Role[];
