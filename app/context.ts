import type { i18n as I18n } from "i18next";
import type { Config } from "~/config.server";
import type { Database } from "~/db/client.server";
import type { Locale } from "~/i18n/locales";
import type { AppLogger } from "~/logger.server";
import type { Tenant } from "~/modules/loyalty/storefront-directory.server";
import type { Actor } from "~/modules/scope/scope";

/** What every loader and action receives from the HTTP server, once per request. */
export interface RequestContext {
  db: Database;
  config: Config;
  logger: AppLogger;
  requestId: string;
  nonce: string;
  /** Which surface this host serves (platform, a store, or nothing). */
  tenant: Tenant;
  locale: Locale;
  i18n: I18n;
  /** The client's address (honours TRUST_PROXY). */
  clientAddress: string;
  /** The signed-in staff member (platform host only). */
  actor: Actor | null;
  /** The raw session token from the cookie, to end it at logout. */
  sessionToken: string | null;
}

declare module "react-router" {
  interface AppLoadContext extends RequestContext {}
}
