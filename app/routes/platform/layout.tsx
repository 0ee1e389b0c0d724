import { Outlet } from "react-router";
import type { RouteHandle } from "~/http/route-handle";

/** Staff surfaces: the HTTP pipeline answers 404 on any other host, for loaders and actions alike. */
export const handle = { surface: "platform", private: true } satisfies RouteHandle;

export default function PlatformLayout() {
  return (
    <>
      {/* Sign-in and consoles are no business of search engines. */}
      <meta name="robots" content="noindex" />
      <Outlet />
    </>
  );
}
