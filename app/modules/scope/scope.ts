import type { Locale } from "~/i18n/locales";
import type { Role } from "~/modules/auth/schema";

/** The signed-in staff member, as every loader and action sees them. */
export interface Actor {
  userId: string;
  email: string;
  name: string;
  role: Role;
  merchantId: string | null;
  storeId: string | null;
  preferredLanguage: Locale;
}

/** What an actor may read: everything, one merchant, or one store of a merchant. */
export type Scope =
  | { kind: "platform" }
  | { kind: "merchant"; merchantId: string }
  | { kind: "store"; merchantId: string; storeId: string };

export function scopeOf(actor: Actor): Scope {
  if (actor.role === "platform_admin") return { kind: "platform" };
  if (!actor.merchantId) throw new Error(`user ${actor.userId} (${actor.role}) has no merchant`);
  if (actor.role === "merchant_owner") return { kind: "merchant", merchantId: actor.merchantId };
  if (!actor.storeId) throw new Error(`user ${actor.userId} (${actor.role}) has no store`);
  return { kind: "store", merchantId: actor.merchantId, storeId: actor.storeId };
}
