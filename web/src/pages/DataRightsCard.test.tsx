// "Your data" on the profile: the download fetches GET /api/v1/me/export and saves it through a
// blob URL under the server's file name, says so in a live region, says when some content could
// not be read, and shows the erasure route.
import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { I18nProvider } from '../i18n';
import { DataRightsCard, exportFileName } from './DataRightsCard';

const EXPORT = {
  format: 'tandem-export/1',
  generated_at: Date.UTC(2026, 11, 5, 23, 30),
  language: 'en',
  summary: ['This file holds everything Tandem stored about your account and you on 2026-12-05.'],
  tandems: [{ id: 4, content: 'unavailable' }],
};

let requested: string[] = [];
let saved: Blob[] = [];
let clicked: string[] = [];

beforeEach(() => {
  window.localStorage.setItem('tandem.language', 'en');
  requested = [];
  saved = [];
  clicked = [];
  vi.stubGlobal('fetch', vi.fn(async (url: string) => {
    requested.push(url);
    return new Response(JSON.stringify(EXPORT), { status: 200, headers: { 'Content-Type': 'application/json' } });
  }));
  URL.createObjectURL = vi.fn((blob: Blob) => {
    saved.push(blob);
    return 'blob:export';
  });
  URL.revokeObjectURL = vi.fn();
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    clicked.push(this.download);
  });
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  window.localStorage.clear();
});

describe('DataRightsCard', () => {
  it('downloads the export under its date and says so', async () => {
    const user = userEvent.setup();
    render(
      <I18nProvider>
        <DataRightsCard />
      </I18nProvider>,
    );
    expect(screen.getByRole('heading', { name: 'Your data' })).toBeTruthy();
    expect(screen.getByText(/Ask the programme team or the system administrator/)).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Download my data' }));
    expect(requested).toEqual(['/api/v1/me/export']);
    expect(clicked).toEqual(['tandem-export-2026-12-05.json']);
    expect(saved[0]?.type).toBe('application/json');
    expect(saved[0]?.size).toBe(JSON.stringify(EXPORT, null, 2).length);
    const status = screen.getAllByRole('status').map((s) => s.textContent).join(' ');
    expect(status).toContain('Your data was downloaded as tandem-export-2026-12-05.json.');
    expect(status).toContain('could not be read');
  });

  it('names the file by the UTC date', () => {
    expect(exportFileName(Date.UTC(2027, 0, 1, 0, 0))).toBe('tandem-export-2027-01-01.json');
  });
});
