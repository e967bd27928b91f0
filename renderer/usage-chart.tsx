// Cost per day, stacked by project, as plain SVG: no chart library, nothing inline that the page's
// CSP (style-src 'self') would refuse. Colours come from the stylesheet (.series-N), so the chart
// follows the light and dark themes; geometry is SVG attributes.
import { costText, formatCost } from '../shared/usage';

export interface ChartSeries {
  project: string;
  name: string;
}

interface UsageChartProps {
  days: readonly string[];
  series: readonly ChartSeries[];
  perDay: ReadonlyArray<{ day: string; project: string; cost: number }>;
}

const WIDTH = 720;
const HEIGHT = 220;
const LEFT = 56;
const BOTTOM = 24;
const TOP = 8;
export const SERIES_COLOURS = 8;

/** A round top for the axis: 1, 2 or 5 times a power of ten at or above the highest bar. */
function niceMax(value: number): number {
  if (value <= 0) return 0.01;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

function dayLabel(day: string): string {
  return `${Number(day.slice(8, 10))}/${Number(day.slice(5, 7))}`;
}

export function UsageChart({ days, series, perDay }: UsageChartProps) {
  const index = new Map(series.map((entry, i) => [entry.project, i]));
  const stacks = days.map((day) => {
    const costs = new Array<number>(series.length).fill(0);
    for (const point of perDay) {
      const at = index.get(point.project);
      if (point.day === day && at !== undefined) costs[at] = (costs[at] ?? 0) + point.cost;
    }
    return { day, costs, total: costs.reduce((a, b) => a + b, 0) };
  });
  const top = niceMax(Math.max(0, ...stacks.map((stack) => stack.total)));
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const slot = (WIDTH - LEFT) / Math.max(1, days.length);
  const barWidth = Math.max(2, slot * 0.7);
  const y = (cost: number) => TOP + plotHeight - (cost / top) * plotHeight;
  const total = stacks.reduce((sum, stack) => sum + stack.total, 0);
  const busiest = stacks.reduce((best, stack) => (stack.total > best.total ? stack : best), stacks[0] ?? { day: '', total: 0, costs: [] });
  const summary =
    total === 0
      ? `No cost recorded in the last ${days.length} days.`
      : `Cost per day over the last ${days.length} days, stacked by project: ${formatCost(total)} in all; the most on ${busiest.day} (${formatCost(busiest.total)}).`;

  return (
    <figure class="usage-chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={summary} class="chart-svg">
        {[0, 0.5, 1].map((fraction) => (
          <g key={fraction}>
            <line class="chart-grid" x1={LEFT} x2={WIDTH} y1={y(top * fraction)} y2={y(top * fraction)} />
            <text class="chart-axis" x={LEFT - 6} y={y(top * fraction) + 4} text-anchor="end">
              {formatCost(top * fraction)}
            </text>
          </g>
        ))}
        {stacks.map((stack, column) => {
          let base = 0;
          const x = LEFT + column * slot + (slot - barWidth) / 2;
          return (
            <g key={stack.day}>
              {stack.costs.map((cost, i) => {
                if (cost <= 0) return null;
                const rect = (
                  <rect key={i} class={`series-${i % SERIES_COLOURS}`} x={x} width={barWidth} y={y(base + cost)} height={Math.max(1, y(base) - y(base + cost))}>
                    <title>{`${stack.day} · ${series[i]?.name ?? ''}: ${formatCost(cost)}`}</title>
                  </rect>
                );
                base += cost;
                return rect;
              })}
              {(column % 5 === 0 || column === stacks.length - 1) && (
                <text class="chart-axis" x={x + barWidth / 2} y={HEIGHT - 6} text-anchor="middle">
                  {dayLabel(stack.day)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      {series.length > 0 && (
        <figcaption>
          <ul class="chart-legend">
            {series.map((entry, i) => {
              const sum = perDay.filter((point) => point.project === entry.project).reduce((a, point) => a + point.cost, 0);
              return (
                <li key={entry.project} title={entry.project}>
                  <svg class="legend-swatch" viewBox="0 0 10 10" aria-hidden="true">
                    <rect class={`series-${i % SERIES_COLOURS}`} width="10" height="10" rx="2" />
                  </svg>
                  {entry.name} <span class="muted">{costText({ cost: sum, estimatedCost: 0, unpriced: 0 })}</span>
                </li>
              );
            })}
          </ul>
        </figcaption>
      )}
    </figure>
  );
}
