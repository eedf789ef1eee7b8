// A small typed client over fetch. The paths, bodies and answers come from schema.d.ts, which
// openapi-typescript generates from docs/api/openapi.json (`npm run api:generate`; the test
// command fails when it is out of date: `npm run api:check`). A path that the server's contract
// no longer has, or a body of the wrong shape, is a type error.
import type { components, paths } from './schema';

export type Schemas = components['schemas'];
export type Account = Schemas['Account'];
export type Session = Schemas['Session'];
export type Programme = Schemas['Programme'];
export type Enrolment = Schemas['Enrolment'];
export type EnrolmentInput = Schemas['EnrolmentInput'];
export type Answer = Schemas['Answer'];
export type Tandem = Schemas['Tandem'];
export type Profile = Schemas['Profile'];
export type ProblemDocument = Schemas['Problem'];
export type ProgrammeSummary = Schemas['ProgrammeSummary'];
export type Run = Schemas['Run'];
export type RunDetail = Schemas['RunDetail'];
export type RunComparison = Schemas['RunComparison'];
export type PairRule = Schemas['PairRule'];
export type InviteSummary = Schemas['InviteSummary'];
export type PersonName = Schemas['PersonName'];

type Method = 'get' | 'put' | 'post' | 'delete';
type PathsWith<M extends Method> = {
  [P in keyof paths]: paths[P][M] extends undefined | never ? never : P;
}[keyof paths];
type Operation<P extends keyof paths, M extends Method> = NonNullable<paths[P][M]>;

type JsonOf<T> = T extends { content: { 'application/json': infer B } } ? B : never;
type Success<R> = R extends { 200: infer A }
  ? A
  : R extends { 201: infer A }
    ? A
    : R extends { 202: infer A }
      ? A
      : never;

/** The JSON body an operation answers with on success (200, 201 or 202); `void` without one. */
export type ResponseOf<P extends keyof paths, M extends Method> =
  Operation<P, M> extends { responses: infer R }
    ? [JsonOf<Success<R>>] extends [never]
      ? void
      : JsonOf<Success<R>>
    : never;
/** The JSON body an operation takes. */
export type BodyOf<P extends keyof paths, M extends Method> =
  Operation<P, M> extends { requestBody?: infer B } ? JsonOf<NonNullable<B>> : never;
type PathParams<P extends keyof paths, M extends Method> =
  Operation<P, M> extends { parameters: { path: infer X } } ? X : never;

export interface CallOptions<P extends keyof paths, M extends Method> {
  path?: [PathParams<P, M>] extends [never] ? undefined : PathParams<P, M>;
  query?: Record<string, string | number | undefined>;
  body?: [BodyOf<P, M>] extends [never] ? undefined : BodyOf<P, M>;
  /** The ETag last read ("<version>"), for PUTs of editable records. */
  ifMatch?: string;
  /** A body that is not JSON, e.g. the participants file as text/csv. */
  raw?: { contentType: string; text: string };
}

export interface Reply<T> {
  data: T;
  status: number;
  etag: string | null;
}

/** An answer outside 2xx, with the server's problem document (RFC 9457) when it sent one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: ProblemDocument | null,
  ) {
    super(problem?.detail ?? problem?.title ?? `HTTP ${status}`);
    this.name = 'ApiError';
  }
  /** The message for a field, e.g. `answers[3].experience`. */
  fieldError(field: string): string | undefined {
    return this.problem?.errors?.find((e) => e.field === field)?.message;
  }
}

const CSRF_KEY = 'tandem.csrf';
let csrfToken: string | null = readStored();

function readStored(): string | null {
  try {
    return window.localStorage.getItem(CSRF_KEY);
  } catch {
    return null;
  }
}

/** The session's CSRF token: kept across reloads (GET /session does not repeat it). */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
  try {
    if (token) window.localStorage.setItem(CSRF_KEY, token);
    else window.localStorage.removeItem(CSRF_KEY);
  } catch {
    // storage unavailable (private mode): the token lives for this page only
  }
}

let onUnauthorised: (() => void) | null = null;
/** Called when a signed-in request answers 401 (the session ended). */
export function setUnauthorisedHandler(handler: (() => void) | null): void {
  onUnauthorised = handler;
}

function fillPath(template: string, params: Record<string, unknown> | undefined): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params?.[name];
    if (value === undefined || value === null) throw new Error(`missing path parameter ${name}`);
    return encodeURIComponent(String(value));
  });
}

export async function call<P extends PathsWith<M>, M extends Method>(
  method: M,
  path: P,
  options: CallOptions<P, M> = {} as CallOptions<P, M>,
): Promise<Reply<ResponseOf<P, M>>> {
  let url = fillPath(path as string, options.path as Record<string, unknown> | undefined);
  if (options.query) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(options.query)) if (v !== undefined) q.set(k, String(v));
    const s = q.toString();
    if (s) url += `?${s}`;
  }
  const headers: Record<string, string> = { Accept: 'application/json' };
  const upper = method.toUpperCase();
  if (upper !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  if (options.ifMatch) headers['If-Match'] = options.ifMatch;
  let body: string | undefined;
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.body);
  } else if (options.raw) {
    headers['Content-Type'] = options.raw.contentType;
    body = options.raw.text;
  }
  const res = await fetch(url, { method: upper, headers, body, credentials: 'same-origin' });
  const type = res.headers.get('Content-Type') ?? '';
  const text = res.status === 204 ? '' : await res.text();
  const parsed: unknown = text && type.includes('json') ? JSON.parse(text) : null;
  if (!res.ok) {
    if (res.status === 401 && onUnauthorised && !String(path).startsWith('/api/v1/session')) {
      onUnauthorised();
    }
    throw new ApiError(res.status, (parsed as ProblemDocument | null) ?? null);
  }
  return { data: parsed as ResponseOf<P, M>, status: res.status, etag: res.headers.get('ETag') };
}

/** Every item of a paged list (`?after=&limit=`). */
export async function all<T>(
  page: (after: number | undefined) => Promise<{ items: T[]; next_after: number | null }>,
): Promise<T[]> {
  const items: T[] = [];
  let after: number | undefined;
  for (;;) {
    const p = await page(after);
    items.push(...p.items);
    if (p.next_after === null || p.next_after === undefined) return items;
    after = p.next_after;
  }
}
