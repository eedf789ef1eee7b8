// The programme's tandems for the team: "meetings held" only when the server sends the field
// (the programme's show_meeting_counts), the reason for ending early next to the one for
// declining, and the term of an active or ended tandem.
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Programme } from '../../api/client';
import { I18nProvider } from '../../i18n';
import { TandemsCard } from './TandemsCard';

const programme = {
  id: 7, name: 'Digital 2027', state: 'running', target_meetings_min: 6, target_meetings_max: 8,
  topics: [{ key: 'ai', name_de: 'KI', name_en: 'AI', weight: 1 }],
} as unknown as Programme;

const tandem = (id: number, state: string, extra: Record<string, unknown> = {}) => ({
  id, programme_id: 7, programme_name: 'Digital 2027', run_id: 1, origin: 'run',
  mentor: { id: 1, name: `Mentor ${id}` }, mentee: { id: 2, name: `Mentee ${id}` }, score: 5, topics: ['ai'],
  reasons: [], state, mentor_accepted_at: 1, mentee_accepted_at: 1, created_at: Date.UTC(2027, 0, 1, 12), version: 1,
  ...extra,
});

function fakeFetch(items: unknown[]) {
  vi.stubGlobal('fetch', vi.fn(async () =>
    new Response(JSON.stringify({ items, next_after: null }), { status: 200, headers: { 'Content-Type': 'application/json' } })));
}

beforeEach(() => window.localStorage.setItem('tandem.language', 'en'));
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  window.localStorage.clear();
});

describe('TandemsCard', () => {
  it('shows meetings held only when the field is there, and the reason for ending early', async () => {
    fakeFetch([
      tandem(3, 'dissolved', { dissolve_reason: 'Moved to another site', ended_at: Date.UTC(2027, 2, 1, 12), meetings_held: 2 }),
      tandem(2, 'active', { meetings_held: 4, activated_at: Date.UTC(2027, 0, 2, 12), ends_at: Date.UTC(2027, 9, 2, 12),
        mentor_completed_at: Date.UTC(2027, 5, 1, 12), mentee_completed_at: null }),
      tandem(1, 'completed', { ended_at: Date.UTC(2027, 5, 1, 12) }),
    ]);
    render(<I18nProvider><TandemsCard programme={programme} reload={0} /></I18nProvider>);
    const items = within(await screen.findByRole('list', { name: 'Tandems with their state' })).getAllByRole('listitem');
    const [dissolved, active, completed] = items as [HTMLElement, HTMLElement, HTMLElement];
    expect(within(dissolved).getByText('Reason for ending early: Moved to another site')).toBeTruthy();
    expect(within(dissolved).getByText('Meetings held').nextElementSibling?.textContent).toBe('2 (target: 6 to 8)');
    expect(within(dissolved).getByText('Term').nextElementSibling?.textContent).toMatch(/^ended on 1 March 2027/);
    expect(within(active).getByText('Meetings held').nextElementSibling?.textContent).toBe('4 (target: 6 to 8)');
    expect(within(active).getByText('Term').nextElementSibling?.textContent).toMatch(/^active since 2 January 2027.* · ends on 2 October 2027/);
    expect(within(active).getByText('Marked as complete so far: Mentor 2')).toBeTruthy();
    // No field, no row: the programme does not show meeting counts to the team.
    expect(within(completed).queryByText('Meetings held')).toBeNull();
  });

  it('shows no meeting count for a tandem that never became active', async () => {
    fakeFetch([tandem(1, 'proposed', { meetings_held: 0 })]);
    render(<I18nProvider><TandemsCard programme={programme} reload={0} /></I18nProvider>);
    await screen.findByRole('list', { name: 'Tandems with their state' });
    expect(screen.queryByText('Meetings held')).toBeNull();
  });

  it('says when a tandem ended early without a reason', async () => {
    fakeFetch([tandem(1, 'dissolved', { dissolve_reason: null })]);
    render(<I18nProvider><TandemsCard programme={programme} reload={0} /></I18nProvider>);
    expect(await screen.findByText('Ended early without a reason.')).toBeTruthy();
    expect(screen.queryByText('Meetings held')).toBeNull();
  });
});
