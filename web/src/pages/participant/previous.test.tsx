// The questionnaire of a new programme starts from the person's previous answers while the
// enrolment has none: it says so, shows them, stores nothing (no autosave either) until the
// person saves, and can start empty instead.
import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Enrolment, Programme } from '../../api/client';
import { setCsrfToken } from '../../api/client';
import { I18nProvider } from '../../i18n';
import { EnrolmentPage } from '../Enrolment';
import { enrolmentFromPrevious, previousToStartFrom } from './previous';
import type { PreviousAnswers } from './previous';

const programme = {
  id: 4, name: 'Digital 2028', state: 'enrolling', mode: 'reverse', mentee_min_level: 2,
  enrolment_deadline: Date.now() + 7 * 86_400_000, version: 1,
  topics: [
    { key: 'ai', name_de: 'KI', name_en: 'AI', weight: 1 },
    { key: 'cloud', name_de: 'Cloud', name_en: 'Cloud', weight: 1 },
  ],
} as unknown as Programme;

const enrolment = {
  id: 9, programme_id: 4, person_id: 3, name: 'Paul', state: 'invited', mentor_capacity: 0, mentee_capacity: 0,
  languages: [], availability: '', invited_at: 1, enrolled_at: null, withdrawn_at: null, version: 2, answers: [],
} as unknown as Enrolment;

const previous: PreviousAnswers = {
  programme_id: 1, programme_name: 'Digital 2027', mentor_capacity: 1, mentee_capacity: 2, languages: ['en'],
  availability: 'Tuesdays',
  answers: [
    { topic: 'ai', interest: 1, skill: 2, experience: 'Built a chatbot' },
    { topic: 'gone', interest: 3, skill: 3, experience: 'x' },
  ],
};

describe('previous answers as data', () => {
  it('start the form only while the enrolment has no answers', () => {
    expect(previousToStartFrom({ ...enrolment, previous })).toBe(previous);
    expect(previousToStartFrom({ ...enrolment, previous: null })).toBeNull();
    expect(previousToStartFrom(enrolment)).toBeNull();
    const answered = { ...enrolment, answers: [{ topic: 'ai', interest: 0, skill: 0, experience: '' }], previous };
    expect(previousToStartFrom(answered)).toBeNull();
  });

  it('keep this programme’s topics and no mentee capacity below the minimum level', () => {
    const e = enrolmentFromPrevious(programme, enrolment, previous, false);
    expect(e.answers?.map((a) => a.topic)).toEqual(['ai']);
    expect([e.mentor_capacity, e.mentee_capacity, e.languages, e.availability]).toEqual([1, 0, ['en'], 'Tuesdays']);
    expect(e.version).toBe(2);
    expect(enrolmentFromPrevious(programme, enrolment, previous, true).mentee_capacity).toBe(2);
  });
});

describe('questionnaire started from previous answers', () => {
  let puts: unknown[] = [];
  beforeEach(() => {
    window.localStorage.setItem('tandem.language', 'en');
    setCsrfToken('tok');
    puts = [];
    vi.stubGlobal('fetch', vi.fn(async (url: string, init: RequestInit) => {
      const json = (body: unknown, etag = '"2"') =>
        new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json', ETag: etag } });
      if (init.method === 'PUT') {
        const body = JSON.parse(String(init.body)) as { answers: unknown[] };
        puts.push(body);
        return json({ ...enrolment, state: 'enrolled', answers: body.answers, version: 3 }, '"3"');
      }
      if (url.endsWith('/enrolment')) return json({ ...enrolment, previous });
      if (url.endsWith('/me')) return json({ account: { id: 1, version: 1 }, person: { level: 3 } });
      return json(programme);
    }));
  });
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
    setCsrfToken(null);
    window.localStorage.clear();
  });

  function renderPage() {
    render(
      <I18nProvider>
        <MemoryRouter initialEntries={['/programmes/4/enrolment']}>
          <Routes><Route path="/programmes/:id/enrolment" element={<EnrolmentPage />} /></Routes>
        </MemoryRouter>
      </I18nProvider>,
    );
  }

  it('says where the answers come from and saves nothing until the person saves', async () => {
    const user = userEvent.setup();
    renderPage();
    expect(await screen.findByText('Started from your answers in “Digital 2027”: check and save.')).toBeTruthy();
    expect(document.querySelector('.save-state')?.textContent).toBe('Not saved yet: please check and save.');
    expect((screen.getByLabelText('Your experience with “AI”') as HTMLTextAreaElement).value).toBe('Built a chatbot');
    // A change does not autosave while the form still shows the earlier answers.
    await user.type(screen.getByLabelText('Availability (optional)'), ' mornings');
    await new Promise((r) => setTimeout(r, 1700));
    expect(puts).toHaveLength(0);

    await user.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('Saved.');
    expect(puts).toHaveLength(1);
    const sent = puts[0] as { availability: string; answers: { topic: string; skill: number }[] };
    expect(sent.availability).toBe('Tuesdays mornings');
    expect(sent.answers.find((a) => a.topic === 'ai')?.skill).toBe(2);
    expect(screen.queryByText(/^Started from your answers/)).toBeNull();
  });

  it('can start empty instead', async () => {
    const user = userEvent.setup();
    renderPage();
    await user.click(await screen.findByRole('button', { name: 'Start empty instead' }));
    expect(screen.queryByText(/^Started from your answers/)).toBeNull();
    expect(screen.queryByLabelText('Your experience with “AI”')).toBeNull();
    expect((screen.getByLabelText('How many people would you like to mentor?') as HTMLSelectElement).value).toBe('0');
    expect(document.querySelector('.save-state')?.textContent).toBe('Changes are saved automatically.');
    expect(puts).toHaveLength(0);
  });
});
