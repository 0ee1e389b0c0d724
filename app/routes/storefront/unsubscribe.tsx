import { useTranslation } from "react-i18next";
import { Form } from "react-router";
import { notFound } from "~/errors";
import type { RouteHandle } from "~/http/route-handle";
import {
  customerForUnsubscribe,
  isCustomerOfMerchant,
  optOutOfReminders,
} from "~/modules/messaging/unsubscribe.server";
import { FormMessage, SubmitButton } from "~/ui/form";
import type { Route } from "./+types/unsubscribe";

/** The signed token's customer, on a store host; anything else is the storefront's 404. */
function requireCustomer(context: Route.LoaderArgs["context"], token: string) {
  const { tenant } = context;
  if (tenant.kind !== "store") throw notFound();
  const customerId = customerForUnsubscribe(context.config.APP_SECRET, token);
  if (!customerId) throw notFound();
  return { customerId, store: tenant.store, merchant: tenant.merchant };
}

// A GET only asks: link scanners in mail systems open links, and must not unsubscribe anyone.
/** The token in the path speaks for the customer: never cached, never logged. */
export const handle = { private: true, secretParams: ["token"] } satisfies RouteHandle;

export async function loader({ context, params }: Route.LoaderArgs) {
  const { store, merchant, customerId } = requireCustomer(context, params.token);
  if (!(await isCustomerOfMerchant(context.db, merchant.id, customerId))) {
    throw notFound();
  }
  return { storeName: store.name };
}

/** The button on the page, and mail clients' one-click POST (RFC 8058, body `List-Unsubscribe=One-Click`). */
export async function action({ context, params }: Route.ActionArgs) {
  const { customerId, merchant, store } = requireCustomer(context, params.token);
  const done = await optOutOfReminders(context.db, merchant.id, customerId);
  if (!done) throw notFound();
  return { storeName: store.name, unsubscribed: true };
}

export default function Unsubscribe({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation("storefront");
  return (
    <>
      <title>{t("unsubscribe.title", { store: loaderData.storeName })}</title>
      <h1>{t("unsubscribe.heading")}</h1>
      {actionData?.unsubscribed ? (
        <FormMessage tone="info">{t("unsubscribe.done", { store: loaderData.storeName })}</FormMessage>
      ) : (
        <>
          <p>{t("unsubscribe.intro", { store: loaderData.storeName })}</p>
          <Form method="post">
            <SubmitButton>{t("unsubscribe.confirm")}</SubmitButton>
          </Form>
        </>
      )}
    </>
  );
}
