// The participant's survey form against a fake server: every question type is a labelled group
// (scale 1–5 and recommendation 0–10 with their words, single choice, free text with its limit,
// topic rating per topic by the programme's names), texts in the page's language, required
// marks, the first save with `If-Match: *`, the server's field errors at their question with
// the first one focused, and a frozen response read-only.
import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setCsrfToken } from '../../api/client';
import { I18nProvider } from '../../i18n';
import { cleanAnswers, SurveyForm } from './SurveyForm';
import type { MySurvey } from './types';

const L = (de: string, en: string) => ({ de, en });
const survey: MySurvey = {
  id: 7,
  programme: 3,
  programme_name: 'Tandem 2026',
  kind: 'final',
  audience: 'mentees',
  state: 'open',
  frozen: false,
  response: null,
  questions: [
    { key: 'overall', type: 'scale', text: L('Wie zufrieden?', 'How satisfied?'), low_label: L('Gar nicht', 'Not at all'),
      high_label: L('Sehr', 'Very'), required: true },
    { key: 'recommend', type: 'recommendation', text: L('Empfehlen?', 'Recommend?'), low_label: L('Nie', 'Never'),
      high_label: L('Sicher', 'Surely'), required: true },
    { key: 'continue_exchange', type: 'single_choice', text: L('Weiter?', 'Continue?'), required: false,
      choices: [{ key: 'yes', label: L('Ja', 'Yes') }, { key: 'no', label: L('Nein', 'No') }] },
    { key: 'understanding_now', type: 'topic_rating', text: L('Kenntnisse jetzt?', 'Knowledge now?'),
      low_label: L('Keine', 'None'), high_label: L('Expertin', 'Expert'), required: false },
    { key: 'improve', type: 'free_text', text: L('Was anders?', 'What differently?'), required: false },
  ],
};
const topics = [{ key: 'ai', name: 'Artificial intelligence' }, { key: 'cloud', name: 'Cloud' }];

type Answer = { status: number; body: unknown; etag?: string };
function fakeFetch(...answers: Answer[]) {
  const fn = vi.fn(async (_url: string, _init: RequestInit) => {
    const a = answers.shift() ?? { status: 500, body: {} };
    const headers: Record<string, string> = { 'Content-Type': a.status >= 400 ? 'application/problem+json' : 'application/json' };
    if (a.etag) headers.ETag = a.etag;
    return new Response(JSON.stringify(a.body), { status: a.status, headers });
  });
  vi.stubGlobal('fetch', fn);
  return fn;
}
const headerOf = (fn: ReturnType<typeof fakeFetch>, i: number, name: string) =>
  (fn.mock.calls[i]![1].headers as Record<string, string>)[name];
const bodyOf = (fn: ReturnType<typeof fakeFetch>, i: number) => JSON.parse(String(fn.mock.calls[i]![1].body));

beforeEach(() => {
  window.localStorage.setItem('tandem.language', 'en');
  setCsrfToken('tok');
});
afterEach(() => {
  cleanup();
  window.localStorage.clear();
});

const renderForm = (s: MySurvey = survey) =>
  render(<I18nProvider><SurveyForm survey={s} topics={topics} /></I18nProvider>);

describe('SurveyForm', () => {
  it('draws every question type as a labelled control with its words', () => {
    renderForm();
    const scale = screen.getByRole('group', { name: /How satisfied\? \(required\)/ });
    expect(within(scale).getAllByRole('radio')).toHaveLength(5);
    expect(within(scale).getByRole('radio', { name: '1 Not at all' })).toBeTruthy();
    expect(within(scale).getByRole('radio', { name: '5 Very' })).toBeTruthy();
    const nps = screen.getByRole('group', { name: /Recommend\?/ });
    expect(within(nps).getAllByRole('radio')).toHaveLength(11);
    expect(within(nps).getByRole('radio', { name: '0 Never' })).toBeTruthy();
    expect(within(nps).getByRole('radio', { name: '10 Surely' })).toBeTruthy();
    const choice = screen.getByRole('group', { name: /Continue\?/ });
    expect(choice.textContent).not.toContain('required');
    expect(within(choice).getByRole('radio', { name: 'Yes' })).toBeTruthy();
    const rating = screen.getByRole('group', { name: /Knowledge now\?/ });
    const ai = within(rating).getByRole('group', { name: 'Artificial intelligence' });
    expect(within(ai).getAllByRole('radio')).toHaveLength(4);
    expect(within(ai).getByRole('radio', { name: '3 Expert' })).toBeTruthy();
    expect(within(rating).getByRole('group', { name: 'Cloud' })).toBeTruthy();
    const text = screen.getByRole('textbox', { name: /What differently\?/ });
    expect(text.getAttribute('maxlength')).toBe('4000');
  });

  it('speaks German when the page does', () => {
    window.localStorage.setItem('tandem.language', 'de');
    renderForm();
    expect(screen.getByRole('group', { name: /Wie zufrieden\? \(Pflichtfrage\)/ })).toBeTruthy();
    expect(screen.getByRole('radio', { name: '1 Gar nicht' })).toBeTruthy();
  });

  it('names the missing required questions and focuses the first', async () => {
    const fn = fakeFetch();
    renderForm();
    await userEvent.click(screen.getByRole('button', { name: 'Send answers' }));
    expect(fn).not.toHaveBeenCalled();
    expect(screen.getByRole('alert').textContent).toContain('2 questions need');
    const first = screen.getByRole('radio', { name: '1 Not at all' });
    expect(document.activeElement).toBe(first);
    expect(first.getAttribute('aria-invalid')).toBe('true');
  });

  it('saves every type with If-Match * and then with the version; shows the server errors at their question', async () => {
    const fn = fakeFetch(
      { status: 400, body: { title: 'Bad', status: 400, errors: [
        { field: 'answers.understanding_now.cloud', message: 'expects 0..3' },
        { field: 'answers.recommend', message: 'expects 0..10' },
      ] } },
      { status: 200, body: { answers: {}, version: 1 }, etag: '"1"' },
      { status: 200, body: { answers: {}, version: 2 }, etag: '"2"' },
    );
    renderForm();
    const user = userEvent.setup();
    await user.click(within(screen.getByRole('group', { name: /How satisfied/ })).getByRole('radio', { name: '4' }));
    await user.click(within(screen.getByRole('group', { name: /Recommend/ })).getByRole('radio', { name: '9' }));
    await user.click(screen.getByRole('radio', { name: 'Yes' }));
    const ai = screen.getByRole('group', { name: 'Artificial intelligence' });
    await user.click(within(ai).getByRole('radio', { name: '2' }));
    await user.type(screen.getByRole('textbox', { name: /What differently\?/ }), 'More time');
    await user.click(screen.getByRole('button', { name: 'Send answers' }));
    expect(headerOf(fn, 0, 'If-Match')).toBe('*');
    expect(bodyOf(fn, 0)).toEqual({ answers: {
      overall: 4, recommend: 9, continue_exchange: 'yes', understanding_now: { ai: 2 }, improve: 'More time',
    } });
    // The errors in question order: recommend first (focused), then the topic rating.
    const nps = screen.getByRole('group', { name: /Recommend\?/ });
    expect(nps.textContent).toContain('expects 0..10');
    expect(document.activeElement).toBe(within(nps).getByRole('radio', { name: '9' }));
    expect(screen.getByRole('group', { name: /Knowledge now\?/ }).textContent).toContain('cloud: expects 0..3');
    await user.click(screen.getByRole('button', { name: 'Send answers' }));
    expect(headerOf(fn, 1, 'If-Match')).toBe('*');
    expect(screen.getByRole('status').textContent).toContain('Your answers are saved');
    expect(nps.textContent).not.toContain('expects');
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    expect(headerOf(fn, 2, 'If-Match')).toBe('"1"');
  });

  it('shows frozen answers read-only with the notice', () => {
    renderForm({ ...survey, frozen: true, response: { answers: { overall: 3, improve: 'x' }, version: 4 } });
    expect(screen.getByText('Counted in released results, no longer editable.')).toBeTruthy();
    const three = within(screen.getByRole('group', { name: /How satisfied/ })).getByRole('radio', { name: '3' }) as HTMLInputElement;
    expect(three.checked && three.disabled).toBe(true);
    expect(screen.queryByRole('button', { name: /Save|Send/ })).toBeNull();
  });

  it('leaves out empty answers', () => {
    expect(cleanAnswers({ a: ' ', b: {}, c: 0, d: ' x ' })).toEqual({ c: 0, d: 'x' });
  });
});
