// Small charts drawn as plain SVG (no inline styles: sizes are SVG attributes, colours come from
// classes in styles.css). Each chart is an image with a name for screen readers and carries the
// same numbers as a visually hidden table.
import { useId } from 'react';

export interface Bar {
  label: string;
  value: number;
  /** A class for the bar's colour: chart-bar-a (brand), -b (good), -c (warn), -d (muted). */
  tone?: 'a' | 'b' | 'c' | 'd';
}

const ROW = 28;
const LABEL_W = 170;
const VALUE_W = 48;
const WIDTH = 560;

/** Horizontal bars, one per row, scaled to the largest value (a funnel when ordered). */
export function BarChart({ title, bars, className }: { title: string; bars: Bar[]; className?: string }) {
  const id = useId();
  const max = Math.max(1, ...bars.map((b) => b.value));
  const plot = WIDTH - LABEL_W - VALUE_W;
  const height = bars.length * ROW + 4;
  return (
    <figure className={['chart', className].filter(Boolean).join(' ')}>
      <figcaption id={`${id}-t`}>{title}</figcaption>
      <svg
        viewBox={`0 0 ${WIDTH} ${height}`}
        width="100%"
        role="img"
        aria-labelledby={`${id}-t`}
        aria-describedby={`${id}-d`}
        preserveAspectRatio="xMinYMin meet"
      >
        {bars.map((b, i) => {
          const w = Math.round((b.value / max) * plot);
          const y = i * ROW + 2;
          return (
            <g key={b.label}>
              <text x={LABEL_W - 8} y={y + ROW / 2 + 5} textAnchor="end" className="chart-label">
                {b.label}
              </text>
              <rect x={LABEL_W} y={y + 4} width={Math.max(w, b.value > 0 ? 2 : 0)} height={ROW - 8}
                rx={3} className={`chart-bar chart-bar-${b.tone ?? 'a'}`} />
              <text x={LABEL_W + w + 6} y={y + ROW / 2 + 5} className="chart-value">
                {b.value}
              </text>
            </g>
          );
        })}
      </svg>
      <table className="visually-hidden" id={`${id}-d`}>
        <caption>{title}</caption>
        <tbody>
          {bars.map((b) => (
            <tr key={b.label}>
              <th scope="row">{b.label}</th>
              <td>{b.value}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

export interface Pair {
  label: string;
  a: number;
  b: number;
}

/** Two bars per row (e.g. demand against supply per topic), with a legend. */
export function PairedBarChart({ title, rows, aLabel, bLabel, className }: {
  title: string;
  rows: Pair[];
  aLabel: string;
  bLabel: string;
  className?: string;
}) {
  const id = useId();
  const max = Math.max(1, ...rows.flatMap((r) => [r.a, r.b]));
  const plot = WIDTH - LABEL_W - VALUE_W;
  const group = 2 * 16 + 10;
  const legend = 26;
  const height = legend + rows.length * group + 4;
  return (
    <figure className={['chart', className].filter(Boolean).join(' ')}>
      <figcaption id={`${id}-t`}>{title}</figcaption>
      <svg
        viewBox={`0 0 ${WIDTH} ${height}`}
        width="100%"
        role="img"
        aria-labelledby={`${id}-t`}
        aria-describedby={`${id}-d`}
        preserveAspectRatio="xMinYMin meet"
      >
        <rect x={LABEL_W} y={6} width={14} height={14} className="chart-bar chart-bar-a" />
        <text x={LABEL_W + 20} y={18} className="chart-label">{aLabel}</text>
        <rect x={LABEL_W + 150} y={6} width={14} height={14} className="chart-bar chart-bar-b" />
        <text x={LABEL_W + 170} y={18} className="chart-label">{bLabel}</text>
        {rows.map((r, i) => {
          const y = legend + i * group;
          const wa = Math.round((r.a / max) * plot);
          const wb = Math.round((r.b / max) * plot);
          return (
            <g key={r.label}>
              <text x={LABEL_W - 8} y={y + 20} textAnchor="end" className="chart-label">
                {r.label}
              </text>
              <rect x={LABEL_W} y={y + 2} width={Math.max(wa, r.a > 0 ? 2 : 0)} height={14} rx={2}
                className="chart-bar chart-bar-a" />
              <text x={LABEL_W + wa + 6} y={y + 14} className="chart-value">{r.a}</text>
              <rect x={LABEL_W} y={y + 18} width={Math.max(wb, r.b > 0 ? 2 : 0)} height={14} rx={2}
                className="chart-bar chart-bar-b" />
              <text x={LABEL_W + wb + 6} y={y + 30} className="chart-value">{r.b}</text>
            </g>
          );
        })}
      </svg>
      <table className="visually-hidden" id={`${id}-d`}>
        <caption>{title}</caption>
        <thead>
          <tr>
            <td />
            <th scope="col">{aLabel}</th>
            <th scope="col">{bLabel}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.label}>
              <th scope="row">{r.label}</th>
              <td>{r.a}</td>
              <td>{r.b}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
