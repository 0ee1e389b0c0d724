import { notFound, unknownHost } from "~/errors";
import type { Route } from "./+types/not-found";

export function loader({ context }: Route.LoaderArgs) {
  throw context.tenant.kind === "unknown" ? unknownHost() : notFound();
}

export default function NotFound() {
  return null;
}
