import { Outlet } from "react-router";
import { notFound } from "~/errors";
import type { Route } from "./+types/layout";

/** Staff surfaces exist on the platform host only; a storefront host answers 404. */
export function loader({ context }: Route.LoaderArgs) {
  if (context.tenant.kind !== "platform") throw notFound();
  return null;
}

export default function PlatformLayout() {
  return <Outlet />;
}
