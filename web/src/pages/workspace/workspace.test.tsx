// The workspace's new pieces against a fake server: the ask to leadership (anonymous by default,
// topics, a missing text and the server's field errors at their fields, the confirmation in a
// live region), the term section (complete: waiting for the partner; the partner's mark; "End
// early" through the confirmation dialog with a reason that only the team reads), and the
// roadmap's drag-and-drop order.
import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { setCsrfToken } from '../../api/client';
import type { Tandem } from '../../api/client';
import { I18nProvider } from '../../i18n';
import { TermSection, completionMarks, endedAt } from './Ending';
import type { EndingTandem } from './Ending';
import { LeadershipAskSection } from './LeadershipAsk';
import { reorder } from './Roadmap';

// jsdom has <dialog> without showModal/close.
beforeAll(() => {
  const proto = HTMLDialogElement.prototype as unknown as { showModal?: () => void; close?: () => void };
  if (!proto.showModal) {
    proto.showModal = function showModal(this: HTMLDialogElement) {
      this.setAttribute('open', '');
    };
  }
  if (!proto.close) {
    proto.close = function close(this: HTMLDialogElement) {
      this.removeAttribute('open');
    };
  }
});

type Answer = { status: number; body: unknown };
function fakeFetch(...answers: Answer[]) {
  const fn = vi.fn(async (_url: string, _init: RequestInit) => {
    const a = answers.shift() ?? { status: 500, body: {} };
    return new Response(JSON.stringify(a.body), {
      status: a.status,
      headers: { 'Content-Type': a.status >= 400 ? 'application/problem+json' : 'application/json' },
    });
  });
  vi.stubGlobal('fetch', fn);
  return fn;
}
const sent = (fn: ReturnType<typeof fakeFetch>, i = 0) => {
  const [url, init] = fn.mock.calls[i]!;
  return { url, method: init.method, body: init.body ? JSON.parse(String(init.body)) : undefined };
};

/** The texts that an element's aria-describedby points at. */
const description = (e: HTMLElement) =>
  (e.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean).map((id) => document.getElementById(id)?.textContent).join(' ');
const checked = (e: HTMLElement) => (e as HTMLInputElement).checked;
const value = (e: HTMLElement) => (e as HTMLTextAreaElement).value;

beforeEach(() => {
  window.localStorage.setItem('tandem.language', 'en');
  setCsrfToken('tok');
});
afterEach(() => {
  cleanup();
  setCsrfToken(null);
  window.localStorage.clear();
  vi.unstubAllGlobals();
});

const TOPICS = [
  { key: 'ai', name: 'Artificial Intelligence' },
  { key: 'cloud', name: 'Cloud Computing' },
];

describe('LeadershipAskSection', () => {
  it('is anonymous by default, says so, and sends the text with the chosen topics', async () => {
    const fn = fakeFetch({ status: 201, body: { id: 1, programme_id: 3, topics: ['cloud'], text: 'Budget', named: false, created_at: 1 } });
    const user = userEvent.setup();
    render(<I18nProvider><LeadershipAskSection tandemId={12} topics={TOPICS} /></I18nProvider>);
    expect(checked(screen.getByRole('radio', { name: /^Send anonymously: the team sees only the text/ }))).toBe(true);
    await user.type(screen.getByLabelText('Your ask'), 'Budget');
    await user.click(screen.getByRole('checkbox', { name: 'Cloud Computing' }));
    await user.click(screen.getByRole('button', { name: 'Send anonymously' }));
    expect((await screen.findByText('Your ask reached the programme team anonymously.')).closest('[role=status]')).not.toBeNull();
    expect(sent(fn)).toEqual({ url: '/api/v1/tandems/12/asks', method: 'POST', body: { text: 'Budget', topics: ['cloud'], named: false } });
    expect(value(screen.getByLabelText('Your ask'))).toBe('');
  });

  it('sends with the name only when chosen', async () => {
    const fn = fakeFetch({ status: 201, body: { id: 1, programme_id: 3, topics: [], text: 'x', named: true, created_at: 1 } });
    const user = userEvent.setup();
    render(<I18nProvider><LeadershipAskSection tandemId={12} topics={TOPICS} /></I18nProvider>);
    await user.type(screen.getByLabelText('Your ask'), 'x');
    await user.click(screen.getByRole('radio', { name: /^Send with my name/ }));
    await user.click(screen.getByRole('button', { name: 'Send with my name' }));
    expect((await screen.findByText('Your ask reached the programme team with your name.')).closest('[role=status]')).not.toBeNull();
    expect(sent(fn).body).toEqual({ text: 'x', topics: [], named: true });
  });

  it('asks for a text before sending anything', async () => {
    const fn = fakeFetch();
    const user = userEvent.setup();
    render(<I18nProvider><LeadershipAskSection tandemId={12} topics={TOPICS} /></I18nProvider>);
    await user.click(screen.getByRole('button', { name: 'Send anonymously' }));
    const field = screen.getByLabelText('Your ask');
    expect(field.getAttribute('aria-invalid')).toBe('true');
    expect(description(field)).toContain('Please write what you need.');
    expect(document.activeElement).toBe(field);
    expect(fn).not.toHaveBeenCalled();
  });

  it('shows the server\'s field errors at their fields', async () => {
    fakeFetch({
      status: 400,
      body: { type: 'about:blank', title: 'Bad request', status: 400, detail: 'topics[0]: not a topic of the programme' },
    });
    const user = userEvent.setup();
    render(<I18nProvider><LeadershipAskSection tandemId={12} topics={TOPICS} /></I18nProvider>);
    await user.type(screen.getByLabelText('Your ask'), 'x');
    await user.click(screen.getByRole('checkbox', { name: 'Artificial Intelligence' }));
    await user.click(screen.getByRole('button', { name: 'Send anonymously' }));
    const group = await screen.findByRole('group', { name: 'Topics (optional)' });
    expect(description(group)).toBe('not a topic of the programme');
    expect(screen.getByRole('alert').textContent).toContain('topics[0]: not a topic of the programme');
  });
});

const TANDEM = {
  id: 5, programme_id: 3, programme_name: 'P', run_id: 1, origin: 'run',
  mentor: { id: 1, name: 'Mara Mentor' }, mentee: { id: 2, name: 'Eli Mentee' },
  score: 10, topics: ['ai'], reasons: [], state: 'active', mentor_accepted_at: 1, mentee_accepted_at: 1,
  created_at: 1, version: 1, activated_at: Date.UTC(2026, 0, 10), ends_at: Date.UTC(2026, 9, 10),
  mentor_completed_at: null, mentee_completed_at: null, ended_at: null,
} as unknown as EndingTandem;

function renderTerm(tandem: EndingTandem, onChange = vi.fn()) {
  render(
    <I18nProvider>
      <TermSection tandem={tandem} me={1} partnerName="Eli Mentee" held={2} target={{ min: 6, max: 8 }} onChange={onChange} />
    </I18nProvider>,
  );
  return onChange;
}

describe('TermSection', () => {
  it('shows the term and the meetings held against the target', () => {
    renderTerm(TANDEM);
    expect(screen.getByText('Runs until')).toBeTruthy();
    expect(screen.getByText('10 October 2026 (it ends by itself then)')).toBeTruthy();
    expect(screen.getByText('2 of 6 to 8 planned')).toBeTruthy();
  });

  it('marks complete and then waits for the partner', async () => {
    const fn = fakeFetch({ status: 200, body: { ...TANDEM, mentor_completed_at: Date.UTC(2026, 5, 1) } });
    const user = userEvent.setup();
    const onChange = renderTerm(TANDEM);
    await user.click(screen.getByRole('button', { name: 'Mark as complete' }));
    expect((await screen.findByText('Saved. Now it waits for Eli Mentee to mark it too.')).closest('[role=status]')).not.toBeNull();
    expect(sent(fn)).toMatchObject({ url: '/api/v1/tandems/5/complete', method: 'POST' });
    expect(onChange).toHaveBeenCalledWith(expect.objectContaining({ mentor_completed_at: Date.UTC(2026, 5, 1) }));
  });

  it('says when the caller marked it, and when the partner did', () => {
    renderTerm({ ...TANDEM, mentor_completed_at: Date.UTC(2026, 5, 1) });
    expect(screen.getByText('You marked the tandem as complete on 1 June 2026. Waiting for Eli Mentee.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Mark as complete' })).toBeNull();
    cleanup();
    renderTerm({ ...TANDEM, mentee_completed_at: Date.UTC(2026, 5, 1) });
    expect(screen.getByText(/^Eli Mentee considers the tandem complete\./)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Mark as complete' })).toBeTruthy();
  });

  it('ends early through the dialog, with the reason for the team only', async () => {
    const fn = fakeFetch({ status: 200, body: { ...TANDEM, state: 'dissolved', ended_at: Date.UTC(2026, 5, 2) } });
    const user = userEvent.setup();
    const onChange = renderTerm(TANDEM);
    await user.click(screen.getByRole('button', { name: 'End early' }));
    const dialog = screen.getByRole('dialog', { name: 'End the tandem with Eli Mentee early?' });
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Keep it' }));
    const reason = within(dialog).getByLabelText('Reason (optional)');
    expect(description(reason)).toBe('Only the programme team reads the reason, not Eli Mentee.');
    await user.type(reason, 'No time');
    await user.click(within(dialog).getByRole('button', { name: 'End the tandem' }));
    expect(sent(fn)).toEqual({ url: '/api/v1/tandems/5/dissolve', method: 'POST', body: { reason: 'No time' } });
    expect(onChange).toHaveBeenCalledWith(expect.objectContaining({ state: 'dissolved' }));
  });

  it('offers no actions once the tandem has ended', () => {
    renderTerm({ ...TANDEM, state: 'completed', ended_at: Date.UTC(2026, 6, 1) });
    expect(screen.queryAllByRole('button')).toHaveLength(0);
    expect(screen.getByText('1 July 2026')).toBeTruthy();
  });
});

describe('ending helpers', () => {
  it('finds the marks by role and the end', () => {
    const t = { ...TANDEM, mentee_completed_at: 7 } as EndingTandem;
    expect(completionMarks(t, 1)).toEqual({ mine: null, partner: 7 });
    expect(completionMarks(t, 2)).toEqual({ mine: 7, partner: null });
    expect(endedAt({ ...t, ended_at: 9 })).toBe(9);
    expect(endedAt(t)).toBe(7);
    expect(endedAt(TANDEM as Tandem)).toBeNull();
  });
});

describe('reorder (roadmap drag and drop)', () => {
  it('puts the dragged item before or after the target', () => {
    expect(reorder([1, 2, 3, 4], 4, 1, false)).toEqual([4, 1, 2, 3]);
    expect(reorder([1, 2, 3, 4], 1, 3, true)).toEqual([2, 3, 1, 4]);
    expect(reorder([1, 2, 3, 4], 1, 4, true)).toEqual([2, 3, 4, 1]);
    expect(reorder([1, 2, 3, 4], 3, 2, false)).toEqual([1, 3, 2, 4]);
  });

  it('returns the same array when nothing moves', () => {
    const ids = [1, 2, 3];
    expect(reorder(ids, 2, 2, false)).toBe(ids);
    expect(reorder(ids, 1, 2, false)).toBe(ids);
    expect(reorder(ids, 2, 1, true)).toBe(ids);
    expect(reorder(ids, 9, 1, false)).toBe(ids);
  });
});
