import type { SubmissionResult } from "@conform-to/react";
import { type AppLoadContext, data } from "react-router";
import { DomainError, notFound } from "~/errors";
import { formatDate } from "~/i18n/format";
import { type Actor, scopeOf } from "~/modules/scope/scope";
import type { Store } from "~/modules/tenancy/stores.server";
import { listCounterStaff } from "~/modules/terminal/counter-staff.server";
import { listDevices } from "~/modules/terminal/devices.server";
import { managedStore } from "~/modules/terminal/managed-store.server";

/**
 * The merchant portal's counter pages, per store: the store comes from the address and must be
 * one the actor manages (404 otherwise); a member or device must belong to that very store, so a
 * sister store's record behind this store's address is not there either.
 */

export function counterStore(context: AppLoadContext, actor: Actor, storeId: string | undefined): Promise<Store> {
  return managedStore(context.db, actor, storeId ?? "");
}

export async function counterMember(context: AppLoadContext, actor: Actor, store: Store, staffId: string | undefined) {
  const members = await listCounterStaff(context.db, scopeOf(actor), store.id);
  const member = members.find((row) => row.id === staffId && row.storeId === store.id);
  if (!member) throw notFound();
  return member;
}

export async function counterDevice(context: AppLoadContext, actor: Actor, store: Store, deviceId: string | undefined) {
  const devices = await listDevices(context.db, scopeOf(actor), store.id);
  const device = devices.find((row) => row.id === deviceId && row.storeId === store.id);
  if (!device) throw notFound();
  return device;
}

/** A moment on a counter page: in the page's language and the store's time zone. */
export function counterTime(context: AppLoadContext, store: Store, value: Date | null): string | null {
  return value ? formatDate(context.locale, value, { timeZone: store.timezone, withTime: true }) : null;
}

/** A refused form: the reply next to its fields, with the status of a bad request. */
export function refused<Intent extends string>(intent: Intent, result: SubmissionResult<string[]>, status = 400) {
  return data({ intent, result }, { status });
}

/**
 * Runs a counter service for a form; the service's own refusals of a field (a PIN that is not 4 to
 * 6 digits, a name it will not keep) come back next to that field instead of as an error page.
 */
export async function withFieldRefusals(
  run: () => Promise<unknown>,
  fields: { pin?: string; name?: string },
): Promise<Record<string, string[]> | null> {
  try {
    await run();
    return null;
  } catch (error) {
    if (error instanceof DomainError && error.code === "invalid_pin" && fields.pin)
      return { [fields.pin]: ["counter.errors.pinFormat"] };
    if (error instanceof DomainError && error.code === "validation_failed" && fields.name)
      return { [fields.name]: ["counter.errors.nameRequired"] };
    throw error;
  }
}
