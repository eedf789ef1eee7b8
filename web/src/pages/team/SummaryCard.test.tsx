// The meetings held in the summary: with too few tandems it says so plainly and shows no number
// (not even the count of tandems); otherwise the total and how many reached the target; an older
// server without the aggregate shows nothing of it.
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProgrammeSummary } from '../../api/client';
import { I18nProvider } from '../../i18n';
import { MeetingsHeld, SummaryCard } from './SummaryCard';

beforeEach(() => window.localStorage.setItem('tandem.language', 'en'));
afterEach(() => {
  cleanup();
  window.localStorage.clear();
});

describe('MeetingsHeld', () => {
  it('says "too few tandems to show" without any number', () => {
    render(<I18nProvider><MeetingsHeld target={6} meetings={{ tandems: 3, too_few: true, held: null, reached_target: null }} /></I18nProvider>);
    const region = screen.getByRole('region', { name: 'Meetings held' });
    expect(within(region).getByText('Too few tandems to show.')).toBeTruthy();
    expect(region.textContent).not.toMatch(/\d/);
  });

  it('shows the total and the tandems that reached the target', () => {
    render(<I18nProvider><MeetingsHeld target={6} meetings={{ tandems: 7, too_few: false, held: 31, reached_target: 2 }} /></I18nProvider>);
    const region = screen.getByRole('region', { name: 'Meetings held' });
    expect(within(region).getByText('Meetings in total').nextElementSibling?.textContent).toBe('31');
    expect(within(region).getByText('Reached the target of at least 6 meetings').nextElementSibling?.textContent)
      .toBe('2 of 7 tandems');
    expect(region.textContent).not.toContain('Too few');
  });
});

describe('SummaryCard', () => {
  const summary = {
    programme: { target_meetings_min: 6 },
    enrolments: { invited: 1, enrolled: 2, withdrawn: 0, mentors: 1, mentees: 1 },
    tandems: { proposed: 0, active: 1, completed: 0, declined: 0, dissolved: 0 },
    runs: { total: 1, pending: 0 },
  } as unknown as ProgrammeSummary;

  it('leaves the meetings out when the server does not send them', () => {
    render(<I18nProvider><SummaryCard summary={summary} /></I18nProvider>);
    expect(screen.queryByRole('region', { name: 'Meetings held' })).toBeNull();
  });

  it('shows them when it does', () => {
    render(<I18nProvider><SummaryCard summary={{ ...summary, meetings: { tandems: 1, too_few: true, held: null, reached_target: null } }} /></I18nProvider>);
    expect(screen.getByText('Too few tandems to show.')).toBeTruthy();
  });
});
