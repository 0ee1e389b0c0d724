import { Group } from "@visx/group";
import { scaleBand, scaleLinear } from "@visx/scale";
import { Bar, LinePath } from "@visx/shape";
import type { ReactNode } from "react";
import { TableScroll } from "./data-table";

/** Colours with at least 3:1 contrast on white (WCAG 1.4.11), told apart by more than hue in legends. */
export const seriesColors = ["#1f4e79", "#b54708", "#146c2e", "#7b2d5b", "#0b5cad", "#5c5c5c"];

export interface Series {
  key: string;
  label: string;
}

export interface ChartRow {
  label: string;
  values: Record<string, number>;
}

interface ChartProps {
  id: string;
  title: string;
  series: Series[];
  rows: ChartRow[];
  formatValue: (value: number) => string;
  /** Column header of the data table (the x axis). */
  labelHeading: string;
  /** The disclosure that opens the data table. */
  tableLabel: string;
  emptyText: string;
  kind: "stacked-bars" | "lines";
}

/** Two renderings of each chart, one per screen size (chosen in CSS), so axis labels stay about 12 px. */
const layouts = {
  wide: { width: 720, xLabels: 8, yTicks: 4 },
  narrow: { width: 340, xLabels: 4, yTicks: 3 },
} as const;
const height = 260;
const margin = { top: 12, right: 12, bottom: 36, left: 56 };

/**
 * A server-rendered SVG chart (no client JavaScript, no inline styles for the CSP) with its
 * numbers in a table underneath for screen readers and for copying.
 */
export function Chart({ id, title, series, rows, formatValue, labelHeading, tableLabel, emptyText, kind }: ChartProps) {
  const totals = rows.map((row) =>
    kind === "stacked-bars"
      ? series.reduce((sum, s) => sum + (row.values[s.key] ?? 0), 0)
      : Math.max(0, ...series.map((s) => row.values[s.key] ?? 0)),
  );
  const max = Math.max(1, ...totals);
  return (
    <figure className="chart" aria-labelledby={`${id}-title`}>
      <figcaption id={`${id}-title`}>{title}</figcaption>
      {rows.length === 0 || totals.every((total) => total === 0) ? (
        <p className="muted">{emptyText}</p>
      ) : (
        <>
          <ul className="chart-legend">
            {series.map((s, index) => (
              <li key={s.key}>
                <svg width="14" height="14" aria-hidden="true" focusable="false">
                  <rect width="14" height="14" fill={seriesColors[index % seriesColors.length]} />
                </svg>
                {s.label}
              </li>
            ))}
          </ul>
          <div className="chart-plot">
            {(["wide", "narrow"] as const).map((layout) => (
              <ChartSvg
                key={layout}
                layout={layout}
                series={series}
                rows={rows}
                max={max}
                formatValue={formatValue}
                kind={kind}
              />
            ))}
          </div>
          <ChartData
            id={id}
            title={title}
            series={series}
            rows={rows}
            formatValue={formatValue}
            labelHeading={labelHeading}
            tableLabel={tableLabel}
          />
        </>
      )}
    </figure>
  );
}

function ChartSvg({
  layout,
  series,
  rows,
  max,
  formatValue,
  kind,
}: Pick<ChartProps, "series" | "rows" | "formatValue" | "kind"> & { layout: keyof typeof layouts; max: number }) {
  const { width, xLabels, yTicks } = layouts[layout];
  const innerWidth = width - margin.left - margin.right;
  const innerHeight = height - margin.top - margin.bottom;
  const x = scaleBand({ domain: rows.map((row) => row.label), range: [0, innerWidth], padding: 0.2 });
  const y = scaleLinear({ domain: [0, max], range: [innerHeight, 0], nice: true });
  const ticks = y.ticks(yTicks);
  const labelEvery = Math.max(1, Math.ceil(rows.length / xLabels));
  return (
    <svg
      viewBox={`0 0 ${width} ${height}`}
      className={`chart-svg chart-svg-${layout}`}
      aria-hidden="true"
      focusable="false"
    >
      <Group left={margin.left} top={margin.top}>
        {ticks.map((tick) => (
          <g key={tick} transform={`translate(0, ${y(tick)})`}>
            <line x1={0} x2={innerWidth} stroke="#d4d4d8" />
            <text x={-8} dy="0.32em" textAnchor="end" className="chart-tick">
              {formatValue(tick)}
            </text>
          </g>
        ))}
        {kind === "stacked-bars"
          ? rows.map((row) => {
              let base = 0;
              return (
                <g key={row.label}>
                  {series.map((s, index) => {
                    const value = row.values[s.key] ?? 0;
                    const top = y(base + value);
                    const barHeight = y(base) - top;
                    base += value;
                    return value > 0 ? (
                      <Bar
                        key={s.key}
                        x={x(row.label) ?? 0}
                        y={top}
                        width={x.bandwidth()}
                        height={barHeight}
                        fill={seriesColors[index % seriesColors.length]}
                      />
                    ) : null;
                  })}
                </g>
              );
            })
          : series.map((s, index) => {
              const color = seriesColors[index % seriesColors.length];
              const px = (row: ChartRow) => (x(row.label) ?? 0) + x.bandwidth() / 2;
              const py = (row: ChartRow) => y(row.values[s.key] ?? 0);
              return (
                <g key={s.key}>
                  <LinePath
                    data={rows}
                    x={px}
                    y={py}
                    stroke={color}
                    strokeWidth={2.5}
                    strokeDasharray={index === 1 ? "6 4" : undefined}
                    fill="none"
                  />
                  {rows.map((row) => (
                    <circle key={row.label} cx={px(row)} cy={py(row)} r={layout === "narrow" ? 3 : 4} fill={color} />
                  ))}
                </g>
              );
            })}
        <line x1={0} x2={innerWidth} y1={innerHeight} y2={innerHeight} stroke="#52525b" />
        {rows.map((row, index) =>
          index % labelEvery === 0 ? (
            <text
              key={row.label}
              x={(x(row.label) ?? 0) + x.bandwidth() / 2}
              y={innerHeight + 20}
              textAnchor="middle"
              className="chart-tick"
            >
              {row.label}
            </text>
          ) : null,
        )}
      </Group>
    </svg>
  );
}

function ChartData({
  id,
  title,
  series,
  rows,
  formatValue,
  labelHeading,
  tableLabel,
}: Pick<ChartProps, "id" | "title" | "series" | "rows" | "formatValue" | "labelHeading" | "tableLabel">) {
  return (
    <details className="chart-data">
      <summary>{tableLabel}</summary>
      <TableScroll label={title}>
        <table aria-labelledby={`${id}-title`}>
          <thead>
            <tr>
              <th scope="col">{labelHeading}</th>
              {series.map((s) => (
                <th key={s.key} scope="col" className="numeric">
                  {s.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.label}>
                <th scope="row">{row.label}</th>
                {series.map((s) => (
                  <td key={s.key} className="numeric">
                    {formatValue(row.values[s.key] ?? 0)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </details>
  );
}

export function Metric({ label, value, children }: { label: string; value: string; children?: ReactNode }) {
  return (
    <li>
      <span className="stat-value">{value}</span>
      <span className="stat-label">{label}</span>
      {children}
    </li>
  );
}
