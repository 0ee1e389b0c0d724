import { useTranslation } from "react-i18next";
import { Link, redirect } from "react-router";
import { storeOptions } from "~/modules/auth/accounts.server";
import { requireRole } from "~/modules/auth/guards.server";
import { merchantPortalRoles } from "~/modules/auth/roles";
import { scopeOf } from "~/modules/scope/scope";
import type { Route } from "./+types/counter-stores";

/**
 * `/merchant/counter-staff` and `/merchant/devices`: the store whose counter to manage. A store
 * manager (one store) goes straight to it; an owner picks one of the merchant's stores.
 */
export async function loader({ context, request }: Route.LoaderArgs) {
  const actor = requireRole(context, request, merchantPortalRoles);
  const section = new URL(request.url).pathname.replace(/\/+$/, "").endsWith("/devices") ? "devices" : "counter-staff";
  const stores = await storeOptions(context.db, scopeOf(actor));
  if (stores.length === 1 && stores[0]) throw redirect(`/merchant/${section}/${stores[0].id}`);
  return { section, stores: stores.map((store) => ({ id: store.id, name: store.name })) } as const;
}

export default function CounterStores({ loaderData }: Route.ComponentProps) {
  const { t } = useTranslation("console");
  const title = loaderData.section === "devices" ? t("counter.nav.devices") : t("counter.nav.staff");
  return (
    <>
      <title>{title}</title>
      <h1>{title}</h1>
      {loaderData.stores.length === 0 ? (
        <p className="panel">{t("counter.stores.none")}</p>
      ) : (
        <>
          <p>{t("counter.stores.choose")}</p>
          <ul className="link-list">
            {loaderData.stores.map((store) => (
              <li key={store.id}>
                <Link to={`/merchant/${loaderData.section}/${store.id}`}>{store.name}</Link>
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}
