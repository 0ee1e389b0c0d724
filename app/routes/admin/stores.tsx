import { useTranslation } from "react-i18next";
import { data, Form, Link } from "react-router";
import { z } from "zod";
import { pageFrom } from "~/db/pagination";
import { badRequest } from "~/errors";
import { readForm } from "~/http/form.server";
import { requireRole } from "~/modules/auth/guards.server";
import { scopeOf } from "~/modules/scope/scope";
import { listStores, setStoreLoyalty } from "~/modules/tenancy/store-admin.server";
import { storeOrigin } from "~/modules/tenancy/stores.server";
import { DataTable } from "~/ui/data-table";
import { FormMessage } from "~/ui/form";
import { Pagination } from "~/ui/pagination";
import type { Route } from "./+types/stores";

export async function loader({ context, request }: Route.LoaderArgs) {
  const scope = scopeOf(requireRole(context, request, ["platform_admin"]));
  const page = pageFrom(request);
  const { rows, pages } = await listStores(context.db, scope, page);
  return {
    page,
    pages,
    stores: rows.map(({ store, merchantName, programId }) => ({
      id: store.id,
      name: store.name,
      code: store.code,
      merchantName,
      url: storeOrigin(context.config.platformOrigin, store),
      defaultLanguage: store.defaultLanguage,
      loyaltyEnabled: store.loyaltyEnabled,
      hasProgram: programId !== null,
    })),
  };
}

const toggleSchema = z.object({ storeId: z.uuid(), enabled: z.enum(["on", "off"]) });

export async function action({ context, request }: Route.ActionArgs) {
  const actor = requireRole(context, request, ["platform_admin"]);
  const parsed = toggleSchema.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success) throw badRequest();
  const enabled = parsed.data.enabled === "on";
  const result = await setStoreLoyalty(context.db, actor, parsed.data.storeId, enabled);
  if (!result.ok) return data({ message: "noProgram" as const, ...result }, { status: 409 });
  return { message: enabled ? ("enabled" as const) : ("disabled" as const), ...result };
}

export default function Stores({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation(["console", "common"]);
  return (
    <>
      <title>{t("stores.title")}</title>
      <div className="toolbar">
        <h1>{t("stores.title")}</h1>
        <Link className="button button-primary" to="/admin/stores/new">
          {t("tenancy.newStore")}
        </Link>
      </div>
      {actionData ? (
        <FormMessage tone={actionData.message === "noProgram" ? "error" : "info"}>
          {t(`stores.${actionData.message}`, { store: actionData.store, merchant: actionData.merchant })}
        </FormMessage>
      ) : null}
      <DataTable
        caption={t("stores.title")}
        rows={loaderData.stores}
        rowKey={(store) => store.id}
        columns={[
          {
            header: t("stores.store"),
            cell: (store) => (
              <>
                <Link to={`/admin/stores/${store.id}`}>{store.name}</Link> <span className="muted">({store.code})</span>
              </>
            ),
          },
          { header: t("stores.merchant"), cell: (store) => store.merchantName },
          {
            header: t("stores.address"),
            cell: (store) => <a href={store.url}>{store.url.replace(/^https?:\/\//, "")}</a>,
            wrap: true,
          },
          { header: t("stores.defaultLanguage"), cell: (store) => t(`common:languageNames.${store.defaultLanguage}`) },
          {
            header: t("stores.loyalty"),
            wrap: true,
            cell: (store) => (
              <>
                <span className={store.loyaltyEnabled ? "badge badge-on" : "badge badge-off"}>
                  {store.loyaltyEnabled ? t("stores.loyaltyOn") : t("stores.loyaltyOff")}
                </span>{" "}
                <Form method="post" className="inline-form">
                  <input type="hidden" name="storeId" value={store.id} />
                  <input type="hidden" name="enabled" value={store.loyaltyEnabled ? "off" : "on"} />
                  <button type="submit" className="button button-secondary button-small">
                    {store.loyaltyEnabled
                      ? t("stores.disable", { store: store.name })
                      : t("stores.enable", { store: store.name })}
                  </button>
                </Form>
              </>
            ),
          },
        ]}
      />

      <Pagination page={loaderData.page} pages={loaderData.pages} />
    </>
  );
}
