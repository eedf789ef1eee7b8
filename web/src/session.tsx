// Who is signed in. The session cookie is HttpOnly; the page keeps the account and the CSRF
// token. Signing in (password, link, invitation) also applies the account's language.
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { ApiError, call, setCsrfToken, setUnauthorisedHandler } from './api/client';
import type { Account, Session } from './api/client';
import { useI18n, type Language } from './i18n';

interface SessionState {
  /** undefined: not known yet; null: signed out. */
  account: Account | null | undefined;
  signedIn: (session: Session) => void;
  signOut: () => Promise<void>;
  /** The account as the server answered after a change (PUT /me), e.g. a new display name. */
  updateAccount: (account: Account) => void;
  /** Changes the language on screen and, when signed in, in the account. */
  changeLanguage: (language: Language) => Promise<void>;
}

const SessionContext = createContext<SessionState | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const { setLanguage } = useI18n();
  const [account, setAccount] = useState<Account | null | undefined>(undefined);
  // Bumped by every sign-in and sign-out: an answer to GET /session that was asked before
  // (a page that redeems a link asks both at once) must not undo it.
  const generation = useRef(0);

  useEffect(() => {
    let live = true;
    const asked = generation.current;
    const current = () => live && generation.current === asked;
    call('get', '/api/v1/session')
      .then((r) => {
        if (!current()) return;
        setAccount(r.data.account);
        setLanguage(r.data.account.language);
      })
      .catch(() => current() && setAccount(null));
    setUnauthorisedHandler(() => {
      generation.current++;
      setCsrfToken(null);
      setAccount(null);
    });
    return () => {
      live = false;
      setUnauthorisedHandler(null);
    };
  }, [setLanguage]);

  const signedIn = useCallback(
    (session: Session) => {
      generation.current++;
      setCsrfToken(session.csrf_token);
      setAccount(session.account);
      setLanguage(session.account.language);
    },
    [setLanguage],
  );

  const signOut = useCallback(async () => {
    try {
      await call('delete', '/api/v1/session');
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
    }
    generation.current++;
    setCsrfToken(null);
    setAccount(null);
  }, []);

  const updateAccount = useCallback(
    (next: Account) => {
      setAccount(next);
      setLanguage(next.language);
    },
    [setLanguage],
  );

  const changeLanguage = useCallback(
    async (language: Language) => {
      setLanguage(language);
      if (!account || account.language === language) return;
      const me = await call('get', '/api/v1/me');
      const changed = await call('put', '/api/v1/me', {
        body: { language },
        ifMatch: me.etag ?? `"${me.data.account.version}"`,
      });
      setAccount(changed.data.account);
    },
    [account, setLanguage],
  );

  const value = useMemo(
    () => ({ account, signedIn, signOut, updateAccount, changeLanguage }),
    [account, signedIn, signOut, updateAccount, changeLanguage],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}
