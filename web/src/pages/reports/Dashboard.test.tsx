// The dashboard: a hidden figure (null) reads "too few to show" in the chart's table and under
// the chart, never 0; the filters offer only the available values and say that others are not
// available; the exports carry the applied filters.
import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { I18nProvider } from '../../i18n';
import { DashboardView, offered } from './Dashboard';
import type { Dashboard } from './types';

const dashboard: Dashboard = {
  programme: { id: 4, name: 'Cohort 2026', state: 'running' },
  min_group_size: 5,
  filters: {
    department: [{ value: 'IT', available: true }, { value: 'Board', available: false }, { value: '', available: false }],
    location: [{ value: 'Berlin', available: true }],
  },
  applied: { department: null, location: null },
  funnel: [
    { stage: 'invited', count: 12 },
    { stage: 'enrolled', count: 10 },
    { stage: 'matched', count: 10 },
    { stage: 'accepted', count: 6 },
    { stage: 'active', count: 6 },
    { stage: 'completed', count: null },
  ],
  withdrawn: null,
  topics: [
    { key: 'ai', name: { de: 'KI', en: 'AI' }, mentees: 6, demand: 14, mentors: null, supply: null },
  ],
  scores: [{ from: 0, to: 2, count: 0 }, { from: 2, to: 4, count: 5 }],
  meetings: { tandems: 4, too_few: true, held: null, reached_target: null, target_min: 6, target_max: 8, cadence: [] },
  surveys: [
    { id: 1, kind: 'mid_term', audience: 'mentees', state: 'closed', invited: null, result: null, questions: [] },
  ],
  learning: { mentees: [], mentors: [] },
  asks: [{ topic: 'ai', count: 3 }],
  earlier: [],
};

beforeEach(() => window.localStorage.setItem('tandem.language', 'en'));
afterEach(() => {
  cleanup();
  window.localStorage.clear();
});

const view = (d: Dashboard = dashboard, onFilters = vi.fn()) =>
  render(
    <I18nProvider>
      <DashboardView dashboard={d} programme={null} filters={{ department: '', location: '' }}
        onFilters={onFilters} language="en" />
    </I18nProvider>,
  );

/** The cells of a chart's hidden table by row label. */
function tableOf(name: string): Record<string, string[]> {
  const chart = screen.getByRole('img', { name });
  const table = document.getElementById(chart.getAttribute('aria-describedby') ?? '')!;
  const rows: Record<string, string[]> = {};
  for (const tr of Array.from(table.querySelectorAll('tbody tr'))) {
    rows[tr.querySelector('th')!.textContent!] = Array.from(tr.querySelectorAll('td')).map((td) => td.textContent ?? '');
  }
  return rows;
}

describe('DashboardView', () => {
  it('draws hidden figures as "too few to show", never as 0', () => {
    view();
    const funnel = tableOf('People by stage reached');
    expect(funnel.Invited).toEqual(['12']);
    expect(funnel.Completed).toEqual(['too few to show']);
    const topics = tableOf('People per topic');
    expect(topics.AI).toEqual(['6', 'too few to show']);
    expect(tableOf('Demand and supply per topic').AI).toEqual(['14', 'too few to show']);
    // Under the charts, plainly.
    const funnelSection = screen.getByRole('region', { name: 'Participation' });
    expect(funnelSection.querySelector('.rc-hidden-note')?.textContent).toBe('too few to show: Completed');
    expect(funnelSection.textContent).toContain('Withdrawn: too few to show');
    const meetings = screen.getByRole('region', { name: 'Meetings' });
    expect(meetings.textContent).toContain('Too few tandems to show figures on their meetings.');
    expect(meetings.textContent).not.toMatch(/\d/);
    expect(meetings.textContent).toContain('Too few tandems to show how often they met.');
    const surveys = screen.getByRole('region', { name: 'Surveys' });
    expect(within(surveys).getByRole('row', { name: /Mid-term survey for mentees/ }).textContent).toContain('too few to show');
    // A shown 0 stays 0.
    expect(tableOf('Tandems by match score')['0–2']).toEqual(['0']);
  });

  it('offers only the available filter values and says that others are not', async () => {
    const onFilters = vi.fn();
    view(dashboard, onFilters);
    const department = screen.getByRole('combobox', { name: 'Department' });
    const options = within(department).getAllByRole('option').map((o) => o.textContent);
    expect(options).toEqual(['All', 'IT']);
    expect(screen.getByText(/other values are not available/)).toBeTruthy();
    expect(document.body.textContent).not.toContain('Board');
    await userEvent.selectOptions(department, 'IT');
    expect(onFilters).toHaveBeenCalledWith({ department: 'IT', location: '' });
    expect(offered(dashboard.filters.department)).toEqual(['IT']);
  });

  it('says that topic figures come after enrolment, and hides a null number of tandems', () => {
    const meetings = { ...dashboard.meetings, too_few: false, tandems: null, held: 21 };
    const empty = dashboard.topics.map((x) => ({ ...x, mentees: null, demand: null, mentors: null, supply: null }));
    view({ ...dashboard, programme: { ...dashboard.programme, state: 'enrolling' }, topics: empty, meetings });
    const topics = screen.getByRole('region', { name: 'Topics: demand and supply' });
    expect(topics.textContent).toContain('shown once enrolment is over');
    expect(within(topics).queryByRole('img')).toBeNull();
    const section = screen.getByRole('region', { name: 'Meetings' });
    expect(section.textContent).toContain('Tandems that started');
    expect(section.querySelector('dd')?.textContent).toBe('too few to show');
    expect(section.textContent).toContain('21');
    cleanup();
    view();
    expect(screen.getByRole('region', { name: 'Topics: demand and supply' }).textContent).not.toContain('once enrolment is over');
  });

  it('links the exports with the applied filters', () => {
    view({ ...dashboard, applied: { department: 'IT', location: null } });
    const link = screen.getByRole('link', { name: 'Dashboard as CSV' });
    expect(link.getAttribute('href')).toBe('/api/v1/programmes/4/exports/dashboard.csv?department=IT');
    expect(link.hasAttribute('download')).toBe(true);
    expect(screen.getByRole('link', { name: 'Tandem list as Excel' }).getAttribute('href'))
      .toBe('/api/v1/programmes/4/exports/tandems.xlsx?department=IT');
    expect(screen.getByRole('status').textContent).toBe('Filtered by: IT');
  });
});
