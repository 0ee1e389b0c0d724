import { notFound } from "~/errors";

export function loader() {
  throw notFound();
}

export default function NotFound() {
  return null;
}
