// Partner feedback: nothing when the programme does not enable it; the own text saved with
// If-Match (`*` first); "waiting for your partner" until both gave; then the partner's text and
// no more editing.
import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setCsrfToken } from '../../api/client';
import { I18nProvider } from '../../i18n';
import { PartnerFeedbackSection } from './PartnerFeedback';
import type { Feedback } from '../reports/types';

function fakeFetch(...answers: { status: number; body: unknown }[]) {
  const fn = vi.fn(async (_url: string, _init: RequestInit) => {
    const a = answers.shift() ?? { status: 500, body: {} };
    return new Response(JSON.stringify(a.body), { status: a.status, headers: { 'Content-Type': 'application/json' } });
  });
  vi.stubGlobal('fetch', fn);
  return fn;
}

beforeEach(() => {
  window.localStorage.setItem('tandem.language', 'en');
  setCsrfToken('tok');
});
afterEach(() => {
  cleanup();
  window.localStorage.clear();
});

const show = (initial: Feedback) =>
  render(<I18nProvider><PartnerFeedbackSection tandemId={5} partnerName="Pia" readOnly={false} initial={initial} /></I18nProvider>);

describe('PartnerFeedbackSection', () => {
  it('shows nothing when the programme does not enable it', () => {
    const { container } = show({ enabled: false, mine: null, partner_gave: false, partner: null });
    expect(container.textContent).toBe('');
  });

  it('saves the first text with If-Match * and then waits for the partner', async () => {
    const fn = fakeFetch({ status: 200, body: { enabled: true, mine: { text: 'Thanks!', version: 1 }, partner_gave: false, partner: null } });
    show({ enabled: true, mine: null, partner_gave: false, partner: null });
    await userEvent.type(screen.getByRole('textbox', { name: 'Your feedback to Pia' }), 'Thanks!');
    await userEvent.click(screen.getByRole('button', { name: 'Send feedback' }));
    const [url, init] = fn.mock.calls[0]!;
    expect(url).toBe('/api/v1/tandems/5/feedback');
    expect(init.method).toBe('PUT');
    expect((init.headers as Record<string, string>)['If-Match']).toBe('*');
    expect(JSON.parse(String(init.body))).toEqual({ text: 'Thanks!' });
    expect(screen.getByText(/Waiting for your partner/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Change feedback' })).toBeTruthy();
    expect(screen.queryByText(/Feedback from Pia/)).toBeNull();
  });

  it('does not show the partner text before the own one is given', () => {
    show({ enabled: true, mine: null, partner_gave: true, partner: null });
    expect(screen.getByText(/Pia has already written/)).toBeTruthy();
    expect(screen.queryByText(/Feedback from Pia/)).toBeNull();
  });

  it('shows both texts once both gave, read-only', () => {
    show({ enabled: true, mine: { text: 'Mine', version: 2 }, partner_gave: true, partner: 'Theirs' });
    expect(screen.getByRole('heading', { name: 'Feedback from Pia' }).nextElementSibling?.textContent).toBe('Theirs');
    expect(screen.getByText('Mine')).toBeTruthy();
    expect(screen.queryByRole('textbox')).toBeNull();
    expect(screen.queryByText(/Waiting for your partner/)).toBeNull();
  });
});
