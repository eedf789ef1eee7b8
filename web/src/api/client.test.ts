// The API client against a fake fetch: URLs, headers (CSRF on unsafe methods, If-Match), answers,
// and problem documents turned into ApiError with their field and line errors.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, all, call, setCsrfToken, setUnauthorisedHandler } from './client';

interface Seen {
  url: string;
  init: RequestInit;
}

function fakeFetch(status: number, body: unknown, headers: Record<string, string> = {}) {
  const seen: Seen[] = [];
  const fn = vi.fn(async (url: string, init: RequestInit) => {
    seen.push({ url, init });
    const text = body === undefined ? null : typeof body === 'string' ? body : JSON.stringify(body);
    return new Response(status === 204 ? null : text, { status, headers });
  });
  vi.stubGlobal('fetch', fn);
  return seen;
}

const json = { 'Content-Type': 'application/json' };
const problemType = { 'Content-Type': 'application/problem+json' };
const header = (s: Seen, name: string) => (s.init.headers as Record<string, string>)[name];

beforeEach(() => setCsrfToken('csrf-123'));
afterEach(() => {
  setCsrfToken(null);
  setUnauthorisedHandler(null);
});

describe('call', () => {
  it('fills and encodes path parameters, adds the query, sends no CSRF header on GET', async () => {
    const seen = fakeFetch(200, { id: 5 }, { ...json, ETag: '"7"' });
    const r = await call('get', '/api/v1/tandems/{id}', { path: { id: 5 } });
    expect(seen[0]!.url).toBe('/api/v1/tandems/5');
    expect(seen[0]!.init.method).toBe('GET');
    expect(seen[0]!.init.credentials).toBe('same-origin');
    expect(header(seen[0]!, 'X-CSRF-Token')).toBeUndefined();
    expect(r).toEqual({ data: { id: 5 }, status: 200, etag: '"7"' });

    fakeFetch(200, { items: [], next_after: null }, json);
    await call('get', '/api/v1/people', { query: { after: 10, limit: 500, q: undefined } });
    const url = (vi.mocked(fetch).mock.calls[0]![0] as string);
    expect(url).toBe('/api/v1/people?after=10&limit=500');
  });

  it('sends the CSRF token on unsafe methods, with If-Match and a JSON body', async () => {
    const seen = fakeFetch(200, { language: 'en' }, json);
    await call('put', '/api/v1/me', { body: { language: 'en' }, ifMatch: '"3"' });
    expect(seen[0]!.init.method).toBe('PUT');
    expect(header(seen[0]!, 'X-CSRF-Token')).toBe('csrf-123');
    expect(header(seen[0]!, 'If-Match')).toBe('"3"');
    expect(header(seen[0]!, 'Content-Type')).toBe('application/json');
    expect(JSON.parse(seen[0]!.init.body as string)).toEqual({ language: 'en' });

    const post = fakeFetch(204, undefined);
    const r = await call('post', '/api/v1/tandems/{id}/accept', { path: { id: 9 } });
    expect(header(post[0]!, 'X-CSRF-Token')).toBe('csrf-123');
    expect(post[0]!.init.body).toBeUndefined();
    expect(r.data).toBeNull();
    expect(r.status).toBe(204);

    setCsrfToken(null);
    const del = fakeFetch(204, undefined);
    await call('delete', '/api/v1/session');
    expect(header(del[0]!, 'X-CSRF-Token')).toBeUndefined();
  });

  it('keeps the CSRF token in localStorage across reloads', () => {
    setCsrfToken('abc');
    expect(window.localStorage.getItem('tandem.csrf')).toBe('abc');
    setCsrfToken(null);
    expect(window.localStorage.getItem('tandem.csrf')).toBeNull();
  });

  it('refuses a path template without its parameter', async () => {
    fakeFetch(200, {}, json);
    await expect(call('get', '/api/v1/tandems/{id}', {} as never)).rejects.toThrow('missing path parameter id');
    expect(fetch).not.toHaveBeenCalled();
  });

  it('turns a problem document into an ApiError with its field errors', async () => {
    const problem = {
      type: 'https://tandem.invalid/problems/validation',
      title: 'Invalid input',
      status: 422,
      detail: 'Some answers are incomplete.',
      errors: [
        { field: 'answers[3].experience', message: 'Please describe your experience.' },
        { field: 'mentor_capacity', message: 'At most 3.' },
      ],
    };
    fakeFetch(422, problem, problemType);
    const err = await call('put', '/api/v1/me', { body: { display_name: '' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    const e = err as ApiError;
    expect(e.status).toBe(422);
    expect(e.message).toBe('Some answers are incomplete.');
    expect(e.problem).toEqual(problem);
    expect(e.fieldError('answers[3].experience')).toBe('Please describe your experience.');
    expect(e.fieldError('mentor_capacity')).toBe('At most 3.');
    expect(e.fieldError('answers[2].experience')).toBeUndefined();
  });

  it('keeps CSV line errors and falls back to the title or the status', async () => {
    fakeFetch(422, {
      type: 'about:blank', title: 'Import failed', status: 422,
      errors: [{ line: 3, field: 'email', message: 'not an e-mail address' }],
    }, problemType);
    const e = (await call('get', '/api/v1/people').catch((x: unknown) => x)) as ApiError;
    expect(e.message).toBe('Import failed');
    expect(e.problem?.errors?.[0]).toEqual({ line: 3, field: 'email', message: 'not an e-mail address' });

    fakeFetch(502, '<html>Bad gateway</html>', { 'Content-Type': 'text/html' });
    const g = (await call('get', '/api/v1/people').catch((x: unknown) => x)) as ApiError;
    expect(g).toBeInstanceOf(ApiError);
    expect(g.problem).toBeNull();
    expect(g.message).toBe('HTTP 502');
  });

  it('reports a 401 as the end of the session, except from the session routes', async () => {
    const ended = vi.fn();
    setUnauthorisedHandler(ended);
    fakeFetch(401, { type: 'about:blank', title: 'Unauthorised', status: 401 }, problemType);
    await expect(call('get', '/api/v1/tandems')).rejects.toBeInstanceOf(ApiError);
    expect(ended).toHaveBeenCalledTimes(1);
    await expect(call('get', '/api/v1/session')).rejects.toMatchObject({ status: 401 });
    expect(ended).toHaveBeenCalledTimes(1);
  });
});

describe('all', () => {
  it('follows next_after until the last page', async () => {
    const pages = new Map<number | undefined, { items: number[]; next_after: number | null }>([
      [undefined, { items: [1, 2], next_after: 2 }],
      [2, { items: [3, 4], next_after: 4 }],
      [4, { items: [5], next_after: null }],
    ]);
    const asked: (number | undefined)[] = [];
    const items = await all(async (after) => {
      asked.push(after);
      return pages.get(after)!;
    });
    expect(items).toEqual([1, 2, 3, 4, 5]);
    expect(asked).toEqual([undefined, 2, 4]);
  });
});
