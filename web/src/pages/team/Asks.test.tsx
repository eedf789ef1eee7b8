// The asks to leadership for the programme team: grouped in the catalogue's order with the names
// in the page's language, newest first within a topic, asks without a topic last, "anonymous"
// when the author is not named, and an empty state.
import { cleanup, render, screen, within } from '@testing-library/react';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Programme } from '../../api/client';
import { I18nProvider } from '../../i18n';
import { AsksPage, groupAsks } from './Asks';
import type { AskList } from './Asks';

const programme = {
  id: 7,
  name: 'Digital 2027',
  state: 'running',
  topics: [
    { key: 'ai', name_de: 'Künstliche Intelligenz', name_en: 'Artificial intelligence', weight: 1 },
    { key: 'cloud', name_de: 'Cloud', name_en: 'Cloud computing', weight: 1 },
  ],
} as unknown as Programme;

const ask = (id: number, created_at: number, topics: string[], author: { id: number; name: string } | null = null) =>
  ({ id, created_at, topics, text: `Ask ${id}`, author });

// The server's order: topics as they first appear, each oldest first.
const LIST: AskList = {
  total: 4,
  topics: [
    { topic: '', asks: [ask(1, 1000, [])] },
    { topic: 'cloud', asks: [ask(2, 2000, ['cloud', 'ai']), ask(4, 4000, ['cloud'], { id: 9, name: 'Mia Berger' })] },
    { topic: 'ai', asks: [ask(2, 2000, ['cloud', 'ai']), ask(3, 3000, ['ai'])] },
  ],
};

function fakeFetch(asks: AskList) {
  const fn = vi.fn(async (url: string) => {
    const body = url.endsWith('/asks') ? asks : programme;
    return new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } });
  });
  vi.stubGlobal('fetch', fn);
  return fn;
}

function renderPage() {
  render(
    <I18nProvider>
      <MemoryRouter initialEntries={['/team/programmes/7/asks']}>
        <Routes>
          <Route path="/team/programmes/:id/asks" element={<AsksPage />} />
        </Routes>
      </MemoryRouter>
    </I18nProvider>,
  );
}

beforeEach(() => window.localStorage.setItem('tandem.language', 'en'));
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  window.localStorage.clear();
});

describe('groupAsks', () => {
  it('orders groups by the catalogue, asks newest first, and names topics in the language', () => {
    const en = groupAsks(LIST, programme, 'en', 'none');
    expect(en.map((g) => g.name)).toEqual(['Artificial intelligence', 'Cloud computing', 'none']);
    expect(en[0]!.asks.map((a) => a.id)).toEqual([3, 2]);
    expect(en[1]!.asks.map((a) => a.id)).toEqual([4, 2]);
    const de = groupAsks(LIST, programme, 'de', 'ohne');
    expect(de[0]!.name).toBe('Künstliche Intelligenz');
  });

  it('keeps a topic the catalogue no longer has, by its key, after the known ones', () => {
    const list: AskList = { total: 2, topics: [{ topic: 'old', asks: [ask(5, 5, ['old'])] }, { topic: 'ai', asks: [ask(6, 6, ['ai'])] }] };
    expect(groupAsks(list, programme, 'en', 'none').map((g) => g.name)).toEqual(['Artificial intelligence', 'old']);
  });
});

describe('AsksPage', () => {
  it('shows each topic with its asks, the named author or "anonymous"', async () => {
    fakeFetch(LIST);
    renderPage();
    const cloud = await screen.findByRole('region', { name: 'Cloud computing (2)' });
    const items = within(cloud).getAllByRole('listitem');
    expect(items[0]!.textContent).toContain('Ask 4');
    expect(items[0]!.textContent).toContain('Mia Berger');
    expect(items[1]!.textContent).toContain('Ask 2');
    expect(items[1]!.textContent).toContain('anonymous');
    expect(items[1]!.textContent).toContain('also under: Artificial intelligence');
    expect(screen.getByRole('region', { name: 'Without a topic (1)' })).toBeTruthy();
    expect(screen.getByText('4 asks on 3 topics, newest first.')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Asks to leadership' }).getAttribute('aria-current')).toBe('page');
  });

  it('says so when there are no asks', async () => {
    fakeFetch({ total: 0, topics: [] });
    renderPage();
    expect(await screen.findByText(/^No asks yet\./)).toBeTruthy();
    expect(document.querySelector('.ask-list')).toBeNull();
  });
});
