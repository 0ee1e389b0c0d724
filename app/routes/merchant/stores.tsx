import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { formatDate } from "~/i18n/format";
import { requireRole } from "~/modules/auth/guards.server";
import { merchantPortalRoles } from "~/modules/auth/roles";
import { scopeOf } from "~/modules/scope/scope";
import { merchantStoresAndStaff } from "~/modules/tenancy/merchant-view.server";
import { storeOrigin } from "~/modules/tenancy/stores.server";
import { DataTable } from "~/ui/data-table";
import type { Route } from "./+types/stores";

export async function loader({ context, request }: Route.LoaderArgs) {
  const actor = requireRole(context, request, merchantPortalRoles);
  const scope = scopeOf(actor);
  if (scope.kind === "platform") throw new Error("merchant portal without a merchant scope");
  const { stores, staff } = await merchantStoresAndStaff(context.db, scope);
  return {
    stores: stores.map((store) => ({
      id: store.id,
      name: store.name,
      url: storeOrigin(context.config.platformOrigin, store),
      defaultLanguage: store.defaultLanguage,
      languages: store.enabledLanguages,
      loyaltyEnabled: store.loyaltyEnabled,
    })),
    staff: staff.map(({ user, storeName }) => ({
      id: user.id,
      name: user.name,
      email: user.email,
      role: user.role,
      storeName,
      lastLogin: user.lastLoginAt
        ? formatDate(context.locale, user.lastLoginAt, { withTime: true, timeZone: "Europe/Luxembourg" })
        : null,
    })),
  };
}

export default function MerchantStores({ loaderData }: Route.ComponentProps) {
  const { t } = useTranslation(["console", "common"]);
  return (
    <>
      <title>{t("merchantStores.title")}</title>
      <h1>{t("merchantStores.title")}</h1>
      <section aria-labelledby="stores-heading">
        <h2 id="stores-heading">{t("shell.nav.stores")}</h2>
        <DataTable
          caption={t("shell.nav.stores")}
          rows={loaderData.stores}
          rowKey={(store) => store.id}
          columns={[
            { header: t("stores.store"), cell: (store) => store.name },
            {
              header: t("stores.address"),
              cell: (store) => <a href={store.url}>{store.url.replace(/^https?:\/\//, "")}</a>,
            },
            {
              header: t("stores.defaultLanguage"),
              cell: (store) => t(`common:languageNames.${store.defaultLanguage}`),
            },
            {
              header: t("merchantStores.languages"),
              cell: (store) => store.languages.map((language) => t(`common:languageNames.${language}`)).join(", "),
            },
            {
              header: t("counter.stores.column"),
              cell: (store) => (
                <span className="inline-group">
                  <Link
                    to={`/merchant/counter-staff/${store.id}`}
                    aria-label={t("counter.stores.staffOf", { store: store.name })}
                  >
                    {t("counter.nav.staff")}
                  </Link>
                  <Link
                    to={`/merchant/devices/${store.id}`}
                    aria-label={t("counter.stores.devicesOf", { store: store.name })}
                  >
                    {t("counter.nav.devices")}
                  </Link>
                </span>
              ),
            },
            {
              header: t("stores.loyalty"),
              cell: (store) => (
                <span className={store.loyaltyEnabled ? "badge badge-on" : "badge badge-off"}>
                  {store.loyaltyEnabled ? t("stores.loyaltyOn") : t("stores.loyaltyOff")}
                </span>
              ),
            },
          ]}
        />
      </section>
      <section aria-labelledby="staff-heading">
        <h2 id="staff-heading">{t("merchantStores.staff")}</h2>
        {loaderData.staff.length === 0 ? (
          <p className="panel">{t("merchantStores.noStaff")}</p>
        ) : (
          <DataTable
            caption={t("merchantStores.staff")}
            rows={loaderData.staff}
            rowKey={(member) => member.id}
            columns={[
              { header: t("users.name"), cell: (member) => member.name },
              { header: t("users.email"), cell: (member) => member.email },
              { header: t("users.role"), cell: (member) => t(`users.roles.${member.role}`) },
              { header: t("users.store"), cell: (member) => member.storeName ?? t("card.nobody") },
              { header: t("users.lastLogin"), cell: (member) => member.lastLogin ?? t("users.never") },
            ]}
          />
        )}
      </section>
    </>
  );
}
