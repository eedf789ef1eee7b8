import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { de, type MessageKey } from './de';
import { en } from './en';

export type Language = 'de' | 'en';
export const LANGUAGES: Language[] = ['de', 'en'];
const CATALOGUES: Record<Language, Record<MessageKey, string>> = { de, en };
const STORAGE_KEY = 'tandem.language';

/** The language remembered in this browser, else the browser's preference, else German. */
export function initialLanguage(): Language {
  try {
    const stored = window.localStorage.getItem(STORAGE_KEY);
    if (stored === 'de' || stored === 'en') return stored;
  } catch {
    // no storage
  }
  return navigator.language?.toLowerCase().startsWith('en') ? 'en' : 'de';
}

export function translate(
  language: Language,
  key: MessageKey,
  params?: Record<string, string | number>,
): string {
  const text = CATALOGUES[language][key];
  if (!params) return text;
  // `{count|one|other}` picks a form by the language's plural rule for the number `count`.
  const plurals = new Intl.PluralRules(language);
  return text
    .replace(/\{(\w+)\|([^|}]*)\|([^}]*)\}/g, (m, name: string, one: string, other: string) => {
      const n = params[name];
      if (typeof n !== 'number') return m;
      return plurals.select(n) === 'one' ? one : other;
    })
    .replace(/\{(\w+)\}/g, (m, name: string) =>
      params[name] === undefined ? m : String(params[name]),
    );
}

interface I18n {
  language: Language;
  setLanguage: (language: Language) => void;
  t: (key: MessageKey, params?: Record<string, string | number>) => string;
  formatDate: (ms: number) => string;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [language, setLanguageState] = useState<Language>(initialLanguage);
  const setLanguage = useCallback((next: Language) => {
    setLanguageState(next);
    try {
      window.localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // no storage: remembered for this page only
    }
  }, []);
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);
  const value = useMemo<I18n>(() => {
    const dates = new Intl.DateTimeFormat(language === 'de' ? 'de-DE' : 'en-GB', {
      dateStyle: 'long',
      timeStyle: 'short',
    });
    return {
      language,
      setLanguage,
      t: (key, params) => translate(language, key, params),
      formatDate: (ms) => dates.format(new Date(ms)),
    };
  }, [language, setLanguage]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}

export type { MessageKey };
