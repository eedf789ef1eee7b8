// The dashboard's charts, drawn by recharts. Like components/charts.tsx, each chart is an image
// named by its title and described by a visually hidden table with the same figures; a figure
// the server hides (null) is never drawn as 0: it has no bar, and the table and a visible line
// under the chart say "too few to show".
import { useId } from 'react';
import { Bar, BarChart, CartesianGrid, LabelList, Legend, XAxis, YAxis } from 'recharts';
import { useI18n } from '../../i18n';
import '../../styles/reports.css';

export interface ChartSeries {
  key: string;
  label: string;
  /** A colour with at least 3:1 contrast on white (the bars) — see COLOURS. */
  colour?: string;
}

export interface ChartRow {
  label: string;
  values: Record<string, number | null>;
}

/** Bar colours (WCAG 2.1 AA non-text contrast on white). */
export const COLOURS = ['#0b5cad', '#1a6b33', '#7a4d00', '#4d5560'];
const INK = '#1b1f24';
const WIDTH = 640;

function format(v: number | null | undefined, digits: number): string {
  if (v === null || v === undefined) return '';
  return digits > 0 ? v.toFixed(digits) : String(v);
}

/**
 * Bars for rows and one or more series. `layout="rows"`: one horizontal bar per row (funnels,
 * topics, choices); `layout="columns"`: vertical bars (distributions, histograms).
 */
export function ReportChart({ title, rows, series, layout = 'rows', digits = 0, className }: {
  title: string;
  rows: ChartRow[];
  series: ChartSeries[];
  layout?: 'rows' | 'columns';
  digits?: number;
  className?: string;
}) {
  const { t } = useI18n();
  const id = useId();
  const tooFew = t('reports.tooFew');
  const data = rows.map((r) => {
    const d: Record<string, string | number | null> = { label: r.label };
    for (const s of series) d[s.key] = r.values[s.key] ?? null;
    return d;
  });
  const hidden: string[] = [];
  for (const r of rows) {
    for (const s of series) {
      if (r.values[s.key] === null || r.values[s.key] === undefined) {
        hidden.push(series.length > 1 ? `${r.label} (${s.label})` : r.label);
      }
    }
  }
  const allHidden = rows.length > 0 && hidden.length === rows.length * series.length;
  if (allHidden) {
    // Nothing to draw: the words alone, no empty axes.
    return (
      <figure className={['chart', 'rc-chart', className].filter(Boolean).join(' ')}>
        <figcaption>{title}</figcaption>
        <p className="rc-hidden-note"><span className="rc-toofew">{t('reports.tooFewAll')}</span></p>
      </figure>
    );
  }
  const byRows = layout === 'rows';
  const height = byRows ? Math.max(80, rows.length * (14 + 18 * series.length) + 50) : 240;
  const longest = Math.max(4, ...rows.map((r) => r.label.length));
  const labelWidth = Math.min(220, 14 + longest * 7);
  return (
    <figure className={['chart', 'rc-chart', className].filter(Boolean).join(' ')}>
      <figcaption id={`${id}-t`}>{title}</figcaption>
      <div role="img" aria-labelledby={`${id}-t`} aria-describedby={`${id}-d`} className="rc-frame">
        <BarChart
          width={WIDTH}
          height={height}
          data={data}
          layout={byRows ? 'vertical' : 'horizontal'}
          margin={{ top: 8, right: 48, bottom: 8, left: 8 }}
        >
          <CartesianGrid stroke="#d5dae0" horizontal={!byRows} vertical={byRows} />
          {byRows ? (
            <>
              <XAxis type="number" allowDecimals={digits > 0} tick={{ fill: INK, fontSize: 12 }} stroke={INK} />
              <YAxis type="category" dataKey="label" width={labelWidth} tick={{ fill: INK, fontSize: 13 }} stroke={INK}
                interval={0} />
            </>
          ) : (
            <>
              <XAxis type="category" dataKey="label" tick={{ fill: INK, fontSize: 12 }} stroke={INK} interval={0} />
              <YAxis type="number" allowDecimals={digits > 0} tick={{ fill: INK, fontSize: 12 }} stroke={INK} width={40} />
            </>
          )}
          {series.length > 1 && <Legend />}
          {series.map((s, i) => (
            <Bar key={s.key} dataKey={s.key} name={s.label} fill={s.colour ?? COLOURS[i % COLOURS.length]}
              isAnimationActive={false} maxBarSize={byRows ? 18 : 48}>
              <LabelList dataKey={s.key} position={byRows ? 'right' : 'top'} fill={INK} fontSize={12}
                formatter={(v: number | null) => format(v, digits)} />
            </Bar>
          ))}
        </BarChart>
      </div>
      {hidden.length > 0 && (
        <p className="rc-hidden-note">
          <span className="rc-toofew">{tooFew}:</span> {hidden.join(', ')}
        </p>
      )}
      <table className="visually-hidden" id={`${id}-d`}>
        <caption>{title}</caption>
        {series.length > 1 && (
          <thead>
            <tr>
              <td />
              {series.map((s) => (
                <th key={s.key} scope="col">{s.label}</th>
              ))}
            </tr>
          </thead>
        )}
        <tbody>
          {rows.map((r) => (
            <tr key={r.label}>
              <th scope="row">{r.label}</th>
              {series.map((s) => {
                const v = r.values[s.key];
                return <td key={s.key}>{v === null || v === undefined ? tooFew : format(v, digits)}</td>;
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

/** A figure, or "too few to show" in words. */
export function Figure({ value, digits = 0, suffix = '' }: { value: number | null | undefined; digits?: number; suffix?: string }) {
  const { t } = useI18n();
  if (value === null || value === undefined) return <span className="rc-toofew">{t('reports.tooFew')}</span>;
  return <>{format(value, digits)}{suffix}</>;
}
