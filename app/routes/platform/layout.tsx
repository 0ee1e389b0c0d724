import { Outlet } from "react-router";
import type { RouteHandle } from "~/http/route-handle";

/** Staff surfaces: the HTTP pipeline answers 404 on any other host, for loaders and actions alike. */
export const handle = { surface: "platform", private: true } satisfies RouteHandle;

export default function PlatformLayout() {
  return <Outlet />;
}
