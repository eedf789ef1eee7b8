// "Next cohort" on the profile: suggestions are marked but not ticked, the person's choice is
// sent with If-Match and confirmed in a live region, a 400 naming `mentor_topics[i]` appears at
// the mentor group with the topic's name, and a 412 reloads the saved state and says so.
import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setCsrfToken } from '../../api/client';
import { I18nProvider } from '../../i18n';
import { RoleOfferCard } from './RoleOffer';
import type { RoleOffer } from './RoleOffer';

const OFFER: RoleOffer = {
  mentor_topics: [],
  mentee_topics: ['cloud'],
  suggestions: { mentor: ['ai'], mentee: ['iot'] },
  topics: [
    { key: 'ai', name_de: 'KI', name_en: 'AI' },
    { key: 'cloud', name_de: 'Cloud', name_en: 'Cloud' },
    { key: 'iot', name_de: 'Internet der Dinge', name_en: 'Internet of Things' },
  ],
  version: 3,
  updated_at: Date.UTC(2027, 0, 5, 12),
};

type Handler = (init: RequestInit) => Response;
let puts: { body: unknown; ifMatch: string | null }[] = [];
function serve(put: Handler, get: () => RoleOffer = () => OFFER) {
  vi.stubGlobal('fetch', vi.fn(async (_url: string, init: RequestInit) => {
    if (init.method === 'PUT') {
      const headers = new Headers(init.headers);
      puts.push({ body: JSON.parse(String(init.body)), ifMatch: headers.get('If-Match') });
      return put(init);
    }
    const o = get();
    return new Response(JSON.stringify(o), { status: 200, headers: { 'Content-Type': 'application/json', ETag: `"${o.version}"` } });
  }));
}
const json = (status: number, body: unknown, etag?: string) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json', ...(etag ? { ETag: etag } : {}) },
  });

beforeEach(() => {
  window.localStorage.setItem('tandem.language', 'en');
  setCsrfToken('tok');
  puts = [];
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  setCsrfToken(null);
  window.localStorage.clear();
});

const group = (name: RegExp) => screen.getByRole('group', { name });

describe('RoleOfferCard', () => {
  it('marks suggestions without ticking them and saves what the person chose', async () => {
    const user = userEvent.setup();
    serve((init) => {
      const body = JSON.parse(String(init.body)) as { mentor_topics: string[]; mentee_topics: string[] };
      return json(200, { ...OFFER, ...body, version: 4, updated_at: Date.UTC(2027, 0, 6, 12) }, '"4"');
    });
    render(<I18nProvider><RoleOfferCard /></I18nProvider>);
    const mentor = await screen.findByRole('group', { name: 'Topics I offer to mentor in' });
    const ai = within(mentor).getByRole('checkbox', { name: 'AI' }) as HTMLInputElement;
    expect(ai.checked).toBe(false);
    expect(ai.getAttribute('aria-describedby')).toBeTruthy();
    expect(document.getElementById(ai.getAttribute('aria-describedby')!)?.textContent)
      .toBe('Suggestion: you were a mentee in this topic.');
    const mentee = group(/learn as a mentee/);
    expect((within(mentee).getByRole('checkbox', { name: 'Cloud' }) as HTMLInputElement).checked).toBe(true);
    expect((within(mentee).getByRole('checkbox', { name: 'Internet of Things' }) as HTMLInputElement).checked).toBe(false);
    expect(within(mentee).getByText('Suggestion: you were a mentor in this topic.')).toBeTruthy();

    await user.click(ai);
    await user.click(screen.getByRole('button', { name: 'Save my offer' }));
    expect(await screen.findByText('Your offer for the next cohort is saved.')).toBeTruthy();
    expect(screen.getByText('Your offer for the next cohort is saved.').closest('[role="status"]')).toBeTruthy();
    expect(puts).toEqual([{ body: { mentor_topics: ['ai'], mentee_topics: ['cloud'] }, ifMatch: '"3"' }]);
  });

  it('shows a field error at its group, naming the topic', async () => {
    const user = userEvent.setup();
    serve(() => json(400, { title: 'Bad Request', status: 400, detail: 'invalid role offer',
      errors: [{ field: 'mentor_topics[0]', message: 'not a topic of your programmes' }] }));
    render(<I18nProvider><RoleOfferCard /></I18nProvider>);
    await user.click(within(await screen.findByRole('group', { name: /offer to mentor/ })).getByRole('checkbox', { name: 'AI' }));
    await user.click(screen.getByRole('button', { name: 'Save my offer' }));
    expect(await screen.findByRole('alert')).toHaveProperty('textContent', 'Please check the marked choice.');
    const mentor = group(/offer to mentor/);
    expect(mentor.getAttribute('aria-describedby')).toBeTruthy();
    expect(document.getElementById(mentor.getAttribute('aria-describedby')!)?.textContent)
      .toBe('AI: not a topic of your programmes');
    expect(document.activeElement).toBe(within(mentor).getAllByRole('checkbox')[0]);
    expect(group(/learn as a mentee/).getAttribute('aria-describedby')).toBeNull();
  });

  it('reloads the saved state after a 412 and says so', async () => {
    const user = userEvent.setup();
    let current = OFFER;
    serve(() => {
      current = { ...OFFER, mentor_topics: ['iot'], version: 5 };
      return json(412, { title: 'Precondition Failed', status: 412 });
    }, () => current);
    render(<I18nProvider><RoleOfferCard /></I18nProvider>);
    await user.click(within(await screen.findByRole('group', { name: /offer to mentor/ })).getByRole('checkbox', { name: 'AI' }));
    await user.click(screen.getByRole('button', { name: 'Save my offer' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/^Your offer was changed elsewhere/);
    const mentor = group(/offer to mentor/);
    expect((within(mentor).getByRole('checkbox', { name: 'Internet of Things' }) as HTMLInputElement).checked).toBe(true);
    expect((within(mentor).getByRole('checkbox', { name: 'AI' }) as HTMLInputElement).checked).toBe(false);
  });

  it('explains the section to someone without earlier programmes, and hides for an account without a person', async () => {
    serve(() => json(500, {}), () => ({ ...OFFER, topics: [], suggestions: { mentor: [], mentee: [] }, mentee_topics: [] }));
    render(<I18nProvider><RoleOfferCard /></I18nProvider>);
    expect(await screen.findByText(/^Once you have taken part in a programme/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Save my offer' })).toBeNull();
    cleanup();
    vi.stubGlobal('fetch', vi.fn(async () => json(403, { title: 'Forbidden', status: 403 })));
    const { container } = render(<I18nProvider><RoleOfferCard /></I18nProvider>);
    await new Promise((r) => setTimeout(r, 50));
    expect(container.textContent).toBe('');
  });
});
