// The participants CSV import against a fake server: the file's lines counted, the CSV sent as
// text/csv with the CSRF token, the counts after success, and a 422's problems as a table sorted
// by line, with the "file:line: column 'x': " prefix left to the table's own columns.
import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setCsrfToken } from '../../api/client';
import { I18nProvider } from '../../i18n';
import { ImportPeople, dataLineCount, problemText } from './ImportPeople';

// jsdom's Blob has no text(); the page reads the chosen file with it.
if (!Blob.prototype.text) {
  Blob.prototype.text = function text(this: Blob) {
    return new Promise<string>((ok, fail) => {
      const reader = new FileReader();
      reader.onload = () => ok(String(reader.result));
      reader.onerror = () => fail(reader.error);
      reader.readAsText(this);
    });
  };
}

const CSV = 'id,name,email,level\nA-1,Ann,ann@example.test,1\nA-2,Bo,bo@example.test,x\n\n';

function fakeFetch(status: number, body: unknown) {
  const fn = vi.fn(async (_url: string, _init: RequestInit) =>
    new Response(JSON.stringify(body), {
      status,
      headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' },
    }));
  vi.stubGlobal('fetch', fn);
  return fn;
}

async function chooseAndSend(onImported = vi.fn()) {
  const user = userEvent.setup();
  render(<I18nProvider><ImportPeople onImported={onImported} /></I18nProvider>);
  await user.upload(screen.getByLabelText('Participants file (CSV)'), new File([CSV], 'people.csv', { type: 'text/csv' }));
  await screen.findByText('Selected: people.csv with 2 lines');
  await user.click(screen.getByRole('button', { name: 'Import' }));
  return onImported;
}

beforeEach(() => {
  window.localStorage.setItem('tandem.language', 'en');
  setCsrfToken('tok');
});
afterEach(() => {
  cleanup();
  setCsrfToken(null);
  window.localStorage.clear();
});

describe('helpers', () => {
  it('counts the data lines after the header, ignoring blank lines', () => {
    expect(dataLineCount(CSV)).toBe(2);
    expect(dataLineCount('id,name\r\nA,B\r\nC,D')).toBe(2);
    expect(dataLineCount('id,name\n')).toBe(0);
    expect(dataLineCount('')).toBe(0);
  });

  it('strips the file, line and column from a problem, which the table shows apart', () => {
    expect(problemText({ line: 3, field: 'level', message: "upload.csv:3: column 'level': 'x' is not an integer" }))
      .toBe("'x' is not an integer");
    expect(problemText({ line: 2, message: 'upload.csv:2: wrong number of fields' })).toBe('wrong number of fields');
  });
});

describe('ImportPeople', () => {
  it('sends the file as text/csv with the CSRF token and shows the counts', async () => {
    const fetch = fakeFetch(200, { inserted: 2, updated: 0, unchanged: 0 });
    const onImported = await chooseAndSend();
    await screen.findByText('Import finished: 2 new, 0 updated, 0 unchanged.');
    expect(onImported).toHaveBeenCalledTimes(1);
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe('/api/v1/people/import');
    expect(init.method).toBe('POST');
    expect(init.body).toBe(CSV);
    const headers = new Headers(init.headers);
    expect(headers.get('Content-Type')).toMatch(/^text\/csv/);
    expect(headers.get('X-CSRF-Token')).toBe('tok');
  });

  it('lists a bad file’s problems by line and imports nothing', async () => {
    fakeFetch(422, {
      type: 'about:blank', title: 'Invalid CSV', status: 422,
      errors: [
        { line: 5, field: 'id', message: "upload.csv:5: column 'id': duplicate id 'B-3' (first on line 4)" },
        { line: 3, field: 'level', message: "upload.csv:3: column 'level': 'x' is not an integer" },
      ],
    });
    const onImported = await chooseAndSend();
    const table = await screen.findByRole('table', { name: 'Problems in the file' });
    const rows = within(table).getAllByRole('row').slice(1).map((r) =>
      within(r).getAllByRole('cell').map((c) => c.textContent));
    expect(rows).toEqual([
      ['3', 'level', "'x' is not an integer"],
      ['5', 'id', "duplicate id 'B-3' (first on line 4)"],
    ]);
    expect(screen.getAllByRole('alert').map((a) => a.textContent)).toContain(
      'Nothing was imported: the file has 2 problems. Correct the lines listed and import the file again.');
    expect(onImported).not.toHaveBeenCalled();
  });
});
