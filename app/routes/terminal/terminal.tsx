import type { RouteHandle } from "~/http/route-handle";
import terminalStyles from "~/terminal/terminal.css?url";
import { TerminalApp } from "~/terminal/terminal-app";
import type { Route } from "./+types/terminal";

/** Platform host only; the page carries the terminal's strings. Nothing personal is rendered on the server. */
export const handle = { surface: "platform", strings: "terminal" } satisfies RouteHandle;

export const links: Route.LinksFunction = () => [
  { rel: "stylesheet", href: terminalStyles },
  { rel: "manifest", href: "/terminal.webmanifest" },
];

/** The title is rendered by the terminal itself, in the language staff chose on the device. */
export const meta: Route.MetaFunction = () => [
  { name: "theme-color", content: "#1f4e79" },
  // A staff tool, like the consoles: no business of search engines.
  { name: "robots", content: "noindex" },
];

export default function Terminal() {
  return <TerminalApp />;
}
