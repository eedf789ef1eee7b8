// Unit tests of the SVG charts: a named image whose numbers are also in a hidden table.
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { BarChart, PairedBarChart } from './charts';

afterEach(cleanup);

function cells(table: HTMLElement): string[][] {
  return Array.from(table.querySelectorAll('tr')).map((tr) =>
    Array.from(tr.children).map((c) => c.textContent ?? ''),
  );
}

describe('BarChart', () => {
  const bars = [
    { label: 'Eingeladen', value: 40 },
    { label: 'Angemeldet', value: 10, tone: 'b' as const },
    { label: 'Ohne Tandem', value: 0, tone: 'd' as const },
  ];

  it('is an image named by its title and described by the table of its numbers', () => {
    render(<BarChart title="Anmeldungen" bars={bars} />);
    const img = screen.getByRole('img', { name: 'Anmeldungen' });
    expect(img.tagName.toLowerCase()).toBe('svg');
    const table = document.getElementById(img.getAttribute('aria-describedby') ?? '');
    expect(table?.tagName).toBe('TABLE');
    expect(table?.className).toBe('visually-hidden');
    expect(table?.querySelector('caption')?.textContent).toBe('Anmeldungen');
    expect(cells(table as HTMLElement)).toEqual([
      ['Eingeladen', '40'],
      ['Angemeldet', '10'],
      ['Ohne Tandem', '0'],
    ]);
    expect(within(table as HTMLElement).getAllByRole('rowheader').map((h) => h.textContent)).toEqual(
      bars.map((b) => b.label),
    );
  });

  it('scales the bars to the largest value and colours them by class', () => {
    render(<BarChart title="Anmeldungen" bars={bars} />);
    const rects = Array.from(screen.getByRole('img').querySelectorAll('rect'));
    const widths = rects.map((r) => Number(r.getAttribute('width')));
    expect(widths[0]).toBeGreaterThan(0);
    expect(widths[1]).toBe(Math.round(widths[0]! / 4));
    expect(widths[2]).toBe(0);
    expect(rects.map((r) => r.getAttribute('class'))).toEqual([
      'chart-bar chart-bar-a',
      'chart-bar chart-bar-b',
      'chart-bar chart-bar-d',
    ]);
    // No inline styles anywhere (the Content-Security-Policy forbids them).
    expect(document.querySelector('[style]')).toBeNull();
  });

  it('keeps two charts on one page apart', () => {
    render(
      <>
        <BarChart title="Eins" bars={[{ label: 'a', value: 1 }]} />
        <BarChart title="Zwei" bars={[{ label: 'b', value: 2 }]} />
      </>,
    );
    const one = screen.getByRole('img', { name: 'Eins' });
    const two = screen.getByRole('img', { name: 'Zwei' });
    expect(one.getAttribute('aria-describedby')).not.toBe(two.getAttribute('aria-describedby'));
    expect(document.getElementById(two.getAttribute('aria-describedby') ?? '')?.textContent).toContain('b2');
  });
});

describe('PairedBarChart', () => {
  it('holds both series per row in the table under their column headers', () => {
    render(
      <PairedBarChart
        title="Nachfrage und Angebot je Thema"
        aLabel="Nachfrage"
        bLabel="Angebot"
        rows={[
          { label: 'KI', a: 6, b: 2 },
          { label: 'Cloud', a: 0, b: 3 },
        ]}
      />,
    );
    const img = screen.getByRole('img', { name: 'Nachfrage und Angebot je Thema' });
    const table = document.getElementById(img.getAttribute('aria-describedby') ?? '') as HTMLElement;
    expect(within(table).getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['Nachfrage', 'Angebot']);
    expect(cells(table).slice(1)).toEqual([
      ['KI', '6', '2'],
      ['Cloud', '0', '3'],
    ]);
    // The legend names both series in the picture too.
    const texts = Array.from(img.querySelectorAll('text')).map((t) => t.textContent);
    expect(texts).toContain('Nachfrage');
    expect(texts).toContain('Angebot');
  });
});
