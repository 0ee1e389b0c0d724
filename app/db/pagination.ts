export const pageSize = 25;

/** `?page=` as a whole number from 1, anything else meaning the first page. */
export function pageFrom(request: Request): number {
  const value = Number(new URL(request.url).searchParams.get("page"));
  return Number.isInteger(value) && value >= 1 && value <= 100_000 ? value : 1;
}

export function pageCount(total: number): number {
  return Math.max(1, Math.ceil(total / pageSize));
}
