import { useTranslation } from "react-i18next";
import { formatDate } from "~/i18n/format";
import { requireRole } from "~/modules/auth/guards.server";
import { merchantPortalRoles, scopeOf } from "~/modules/auth/scope";
import { merchantStoresAndStaff } from "~/modules/tenancy/merchant-view.server";
import { storeOrigin } from "~/modules/tenancy/stores.server";
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
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">{t("stores.store")}</th>
                <th scope="col">{t("stores.address")}</th>
                <th scope="col">{t("stores.defaultLanguage")}</th>
                <th scope="col">{t("merchantStores.languages")}</th>
                <th scope="col">{t("stores.loyalty")}</th>
              </tr>
            </thead>
            <tbody>
              {loaderData.stores.map((store) => (
                <tr key={store.id}>
                  <td>{store.name}</td>
                  <td>
                    <a href={store.url}>{store.url.replace(/^https?:\/\//, "")}</a>
                  </td>
                  <td>{t(`common:languageNames.${store.defaultLanguage}`)}</td>
                  <td>{store.languages.map((language) => t(`common:languageNames.${language}`)).join(", ")}</td>
                  <td>
                    <span className={store.loyaltyEnabled ? "badge badge-on" : "badge badge-off"}>
                      {store.loyaltyEnabled ? t("stores.loyaltyOn") : t("stores.loyaltyOff")}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section aria-labelledby="staff-heading">
        <h2 id="staff-heading">{t("merchantStores.staff")}</h2>
        {loaderData.staff.length === 0 ? (
          <p className="panel">{t("merchantStores.noStaff")}</p>
        ) : (
          <div className="table-scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t("users.name")}</th>
                  <th scope="col">{t("users.email")}</th>
                  <th scope="col">{t("users.role")}</th>
                  <th scope="col">{t("users.store")}</th>
                  <th scope="col">{t("users.lastLogin")}</th>
                </tr>
              </thead>
              <tbody>
                {loaderData.staff.map((member) => (
                  <tr key={member.id}>
                    <td>{member.name}</td>
                    <td>{member.email}</td>
                    <td>{t(`users.roles.${member.role}`)}</td>
                    <td>{member.storeName ?? t("card.nobody")}</td>
                    <td>{member.lastLogin ?? t("users.never")}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
