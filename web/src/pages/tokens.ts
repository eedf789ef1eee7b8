// One-time tokens arrive in the URL's fragment (#link=..., #invitation=..., #token=...): browsers never send
// the fragment to the server. The page reads it once and removes it from the address bar and
// the history, so it is neither bookmarked nor shown again.
const taken = new Map<string, string | null>();

export function takeFragmentToken(name: 'link' | 'invitation' | 'token'): string | null {
  if (taken.has(name)) return taken.get(name) ?? null;
  const params = new URLSearchParams(window.location.hash.replace(/^#/, ''));
  const token = params.get(name);
  if (token) {
    window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search);
  }
  taken.set(name, token);
  return token;
}

/** Where to go after signing in: a path of this site only (`next=` query parameter). */
export function nextPath(search: string, fallback = '/programmes'): string {
  const next = new URLSearchParams(search).get('next');
  if (next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\')) return next;
  return fallback;
}
