import { brandStylesheet, colorOfBrandStylesheet } from "~/branding/theme";
import type { Route } from "./+types/brand-stylesheet";

/** A store's colours (`/brand/7b2d5b.css`): derived from the path alone, the same on every host. */
export function loader({ params }: Route.LoaderArgs) {
  const color = colorOfBrandStylesheet(params.file);
  // Only stylesheets link here: a plain 404, not a page.
  if (!color) return new Response("Not found", { status: 404, headers: { "Content-Type": "text/plain" } });
  return new Response(brandStylesheet(color), {
    headers: {
      "Content-Type": "text/css; charset=utf-8",
      "Cache-Control": "public, max-age=31536000, immutable",
    },
  });
}
