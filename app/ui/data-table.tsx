import type { ReactNode } from "react";

export interface Column<Row> {
  header: ReactNode;
  cell: (row: Row) => ReactNode;
  /** Right-aligned figures. */
  numeric?: boolean;
  /** Long text (a subject line, an address) that wraps instead of widening the table. */
  wrap?: boolean;
}

/**
 * The one box every console table sits in: it scrolls sideways inside itself when the table is
 * wider than the page, with the first column (what the row is) kept in view. Keyboard users can
 * focus it to scroll, so it is a labelled region.
 */
export function TableScroll({ label, children }: { label: string; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling box must be reachable by keyboard (WCAG 2.1.1)
    <section className="table-scroll" aria-label={label} tabIndex={0}>
      {children}
    </section>
  );
}

/**
 * The console's list tables: a header row with column scopes, one row per record, inside a
 * `TableScroll`. Columns say what a cell shows; the table says how.
 */
export function DataTable<Row>({
  columns,
  rows,
  rowKey,
  caption,
}: {
  columns: Column<Row>[];
  rows: readonly Row[];
  rowKey: (row: Row) => string;
  /** Names the table (read by screen readers, and the scrolling box's label). */
  caption: string;
}) {
  const className = (column: Column<Row>) =>
    [column.numeric ? "numeric" : null, column.wrap ? "cell-wrap" : null].filter(Boolean).join(" ") || undefined;
  return (
    <TableScroll label={caption}>
      <table>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {columns.map((column, index) => (
              // Columns are a fixed list per page: their position is their identity.
              // biome-ignore lint/suspicious/noArrayIndexKey: static columns
              <th key={index} scope="col" className={className(column)}>
                {column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)}>
              {columns.map((column, index) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: static columns
                <td key={index} className={className(column)}>
                  {column.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
